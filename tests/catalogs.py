"""The translation catalogs as tests read them: every key and its text(s) per language, and the
keys the code uses, found as ``pybabel extract`` finds them."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Formatter

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from roi_model.words import LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parents[1]
#: The extractor's keywords: t(key), tn(key, plural_key, n), N_(key), Nn_(key, plural_key).
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None, "Nn_": (1, 2)}


@cache
def entries(language: str) -> dict[str, tuple[str, ...]]:
    """Key -> its texts (one, or one per plural form) in a language's catalog."""
    path = LOCALES_DIR / LANGUAGES[language].catalog / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as file:
        catalog = read_po(file)
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): (
            (m.string,) if isinstance(m.string, str) else tuple(m.string)
        )
        for m in catalog
        if m.id
    }


@cache
def plural_forms(language: str) -> int:
    """How many plural forms a language's catalog declares (CLDR's, written by Babel)."""
    path = LOCALES_DIR / LANGUAGES[language].catalog / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as file:
        return int(read_po(file).num_plurals)


def text(key: str, language: str) -> str:
    """A key's (first) text in a language."""
    return entries(language)[key][0]


@cache
def used_keys() -> frozenset[str]:
    """Every key the code names literally (app.py, pages/ and roi_model/: the report and the
    command line speak too), as the extractor sees it."""
    found: set[str] = set()
    for folder in (ROOT / "pages", ROOT / "roi_model", ROOT):
        for _, _, message, *_ in _extract(folder):
            found.add(message if isinstance(message, str) else message[0])
    return frozenset(found)


def _extract(folder: Path):  # type: ignore[no-untyped-def]
    # At the top only app.py: the rest there is tests, the model and tools.
    method_map = [("app.py", "python")] if folder == ROOT else [("**.py", "python")]
    return extract_from_dir(
        str(folder),
        method_map=method_map,
        keywords=KEYWORDS,
        # pybabel skips folders starting with "_" unless told: pages/_ui is where the texts are.
        directory_filter=lambda path: not Path(path).name.startswith((".", "__")),
    )


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}
