"""Many scenario files at once: uploads of ``.json`` files and ``.zip`` archives in, a zip out.

Reading never raises for bad content: every file (or archive member) ends up either among the
scenarios read or among the refused, with the :class:`ScenarioError` that says why, in the
order it came in. Archives are read defensively: a member's declared size is checked before it
is read (zip bombs), at most :data:`MAX_FILES` files are read in all, and folders, macOS
resource forks (``__MACOSX/``) and hidden files are skipped.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass

from roi_model.files.scenario_file import scenario_from_json, scenario_to_json
from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.spec import Scenario

#: At most this many files are read from one upload (archive members included).
MAX_FILES = 200
#: A file or archive member larger than this (its declared size, for a member) is refused.
MAX_FILE_BYTES = 1_000_000
#: Zip entries carry a date; a fixed one makes the same scenarios give the same bytes.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)

_MAX_NAME_CHARS = 100
_MAX_NAME_BYTES = 200  # UTF-8; with " (99)" and ".json" still under the usual 255-byte limit
_KEPT_PUNCTUATION = frozenset(" -_.(),;")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)}
)


@dataclass(frozen=True)
class BundleRead:
    """What came of an upload: scenarios read and files refused, each under its name.

    A member of an archive is named ``archive.zip/folder/member.json``.
    """

    scenarios: list[tuple[str, Scenario]]
    refused: list[tuple[str, ScenarioError]]


def read_scenario_files(files: Iterable[tuple[str, bytes]]) -> BundleRead:
    """Read scenario files and zip archives of them, refusing what cannot be read.

    Parameters
    ----------
    files
        ``(name, content)`` pairs, as uploaded: ``.json`` files (UTF-8, a byte order mark
        tolerated) and ``.zip`` archives of them.

    Notes
    -----
    A file is refused with the :class:`ScenarioError` of the scenario-file parser, or with rule
    ``UNREADABLE`` and the file's name as value (an English note says why) when it is: of
    another kind than ``.json`` or ``.zip`` (inside an archive: other than ``.json``); not UTF-8;
    larger than :data:`MAX_FILE_BYTES`; a broken, encrypted or empty archive; or beyond the first
    :data:`MAX_FILES` files, where the rest of an upload is refused once, under its own name.

    Examples
    --------
    >>> read = read_scenario_files([("notes.txt", b"hello")])
    >>> (read.scenarios, [(name, error.rule.value) for name, error in read.refused])
    ([], [('notes.txt', 'unreadable')])
    """
    scenarios: list[tuple[str, Scenario]] = []
    refused: list[tuple[str, ScenarioError]] = []
    count = 0
    for name, content in files:
        entries = _entries(name, content)
        for entry_name, read in entries:
            if count == MAX_FILES:  # the rest of this upload is refused once, by its name
                refused.append((name, _unreadable(name, f"more than {MAX_FILES} files")))
                break
            count += 1
            try:
                scenarios.append((entry_name, scenario_from_json(_text(entry_name, read()))))
            except ScenarioError as error:
                refused.append((entry_name, error))
        entries.close()  # closes an archive left half-read
    return BundleRead(scenarios, refused)


def safe_filename(name: str, suffix: str = ".json") -> str:
    """A file name for a scenario name: safe on every common system, recognisable, bounded.

    Letters (with their combining marks) and digits of any script and the characters
    `` -_.(),;`` are kept; path separators,
    control characters, ``<>:"/\\|?*`` and any other sign become ``_``; other spaces become
    a plain space. Leading and trailing spaces and dots are trimmed (no hidden files), at most
    100 characters (and 200 UTF-8 bytes) are kept before ``suffix``, Windows device names get
    a ``_``, and an empty result is ``"scenario"``.

    Examples
    --------
    >>> safe_filename("Clínica dental: plan 2025/26")
    'Clínica dental_ plan 2025_26.json'
    >>> safe_filename("../.env")
    '_.env.json'
    >>> safe_filename("  ")
    'scenario.json'
    """
    chars = []
    for char in unicodedata.normalize("NFC", name):
        category = unicodedata.category(char)
        if char.isalnum() or char in _KEPT_PUNCTUATION or category.startswith("M"):
            chars.append(char)  # marks are part of letters: the vowel signs of हिन्दी
        elif category == "Zs":
            chars.append(" ")
        else:
            chars.append("_")
    stem = _trim("".join(chars))[:_MAX_NAME_CHARS]
    while len(stem.encode("utf-8")) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = _trim(stem) or "scenario"
    if stem.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        stem += "_"
    return stem + suffix


def scenarios_zip(scenarios: Sequence[Scenario]) -> bytes:
    """A zip archive with one scenario file per scenario, named after the scenario.

    Names that clash (ignoring case, as Windows and macOS do) get `` (2)``, `` (3)``, ... in
    order. Entries carry a fixed date and permissions, so the same scenarios give the same
    bytes; :func:`read_scenario_files` reads the archive back into the same scenarios.
    """
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for scenario in scenarios:
            stem = safe_filename(scenario.name, suffix="")
            name, number = f"{stem}.json", 1
            while name.casefold() in used:
                number += 1
                name = f"{stem} ({number}).json"
            used.add(name.casefold())
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system writes it: the same bytes everywhere
            info.external_attr = 0o644 << 16
            zf.writestr(info, scenario_to_json(scenario).encode("utf-8"))
    return buffer.getvalue()


#: Reads one file's bytes, or raises the ScenarioError that refuses it.
_ReadFn = Callable[[], bytes]


def _entries(name: str, content: bytes) -> Generator[tuple[str, _ReadFn]]:
    """The files in one upload, each with a function that reads it (or raises ScenarioError)."""
    kind = name.rpartition(".")[2].lower() if "." in name else ""
    if kind == "json":
        yield name, lambda: _checked_size(name, content)
    elif kind == "zip":
        yield from _members(name, content)
    else:
        yield name, _refuse(name, "neither a .json file nor a .zip archive")


def _members(name: str, content: bytes) -> Generator[tuple[str, _ReadFn]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except Exception:  # zipfile raises many kinds of error for a broken archive
        yield name, _refuse(name, "not a zip archive, or a broken one")
        return
    with archive:
        members = [info for info in infos if not _skipped(info)]
        if not members:
            yield name, _refuse(name, "an archive with no files in it")
        for info in members:
            member = f"{name}/{info.filename}"
            if not info.filename.lower().endswith(".json"):
                yield member, _refuse(member, "not a .json file")
            elif info.file_size > MAX_FILE_BYTES:  # declared size, checked before reading
                yield member, _refuse(member, f"larger than {MAX_FILE_BYTES} bytes")
            else:
                yield member, _member_reader(archive, info, member)


def _member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: str) -> _ReadFn:
    def read() -> bytes:
        try:
            with archive.open(info) as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
        except Exception as error:  # bad CRC, encryption, an unknown method, a cut archive...
            raise _unreadable(member, "a broken or encrypted archive member") from error
        return _checked_size(member, data)

    return read


def _skipped(info: zipfile.ZipInfo) -> bool:
    """Folders, macOS resource forks and hidden files are not the user's scenarios."""
    parts = info.filename.replace("\\", "/").split("/")
    return info.is_dir() or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)


def _checked_size(name: str, data: bytes) -> bytes:
    if len(data) > MAX_FILE_BYTES:
        raise _unreadable(name, f"larger than {MAX_FILE_BYTES} bytes")
    return data


def _text(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _unreadable(name, "not UTF-8 text") from error


def _refuse(name: str, reason: str) -> _ReadFn:
    def read() -> bytes:
        raise _unreadable(name, reason)

    return read


def _unreadable(name: str, reason: str) -> ScenarioError:
    error = ScenarioError("", name, Rule.UNREADABLE)
    error.add_note(reason)
    return error


def _trim(text: str) -> str:
    return text.strip(" .")
