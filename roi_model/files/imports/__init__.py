"""Campaign exports (CSV or xlsx from Meta, Google Ads, LinkedIn, TikTok, X, GA4, Instagram
insights or a spreadsheet) read into one tidy history table: see :func:`read_history`."""

from roi_model.files.imports.headers import ImportNote, NoteCode, detect_mapping
from roi_model.files.imports.problems import ImportProblem, ImportRefused, Skipped, SkipReason
from roi_model.files.imports.read import MAX_BYTES, read_history
from roi_model.files.imports.result import ImportResult
from roi_model.model.vocabulary import HISTORY_FIELDS

__all__ = [
    "HISTORY_FIELDS",
    "MAX_BYTES",
    "ImportNote",
    "ImportProblem",
    "ImportRefused",
    "ImportResult",
    "NoteCode",
    "SkipReason",
    "Skipped",
    "detect_mapping",
    "read_history",
]
