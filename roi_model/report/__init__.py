"""The client's report: one scenario, or a comparison, as a self-contained HTML page, a PDF
and an xlsx workbook, in the reader's language, locale and currency.

:mod:`~roi_model.report.build` and :mod:`~roi_model.report.comparison` make the
:class:`~roi_model.report.document.Document`; :func:`rendered` draws it in one format.
"""

from __future__ import annotations

from typing import Literal, get_args

from roi_model.report.document import Document

ReportFormat = Literal["html", "pdf", "xlsx"]
FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)
MEDIA_TYPES: dict[ReportFormat, str] = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def rendered(document: Document, form: ReportFormat) -> bytes:
    """The document in one format, as the bytes of its file."""
    # Each format's library is imported when asked for: the cockpit draws no PDF until asked.
    if form == "html":
        from roi_model.report.html import html_text

        return html_text(document).encode("utf-8")
    if form == "pdf":
        from roi_model.report.pdf import pdf_bytes

        return pdf_bytes(document)
    from roi_model.report.workbook import workbook_bytes

    return workbook_bytes(document)
