"""The words: one gettext catalog per language (``locales/<catalog>/LC_MESSAGES/messages.po``,
read with Babel and compiled in memory), and the locale that writes numbers, dates and money,
chosen apart from the language (a Mexican consultant reads Spanish with a decimal point).

:class:`Words` is one reader's language and locale: the report and the command line take one
as they are told; the pages make one from the session (``pages/_ui/i18n``).

Keys are stable identifiers (``"cockpit.title"``), written literally where they are used so
that ``pybabel extract`` finds them: ``t("key")``, ``tn("key", "key.plural", n)`` for counted
nouns (plural forms by CLDR's rules for each language), and ``N_("key")`` (``Nn_`` for a
counted pair) to mark a key kept in a table for later. English is a catalog like the others.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import roi_model.words.numbers as numbers  # a submodule: not an import of this package itself
from roi_model.model.errors import Rule, ScenarioError
from roi_model.words.families import FAMILIES, N_, Nn_

__all__ = [
    "DEFAULT_LANGUAGE",
    "FAMILIES",
    "LANGUAGES",
    "LOCALES_DIR",
    "N_",
    "RULE_TEXTS",
    "Language",
    "Nn_",
    "Words",
    "catalog_keys",
    "has_text",
    "key_for",
    "words_for",
]

LOCALES_DIR = Path(__file__).parent / "locales"


@dataclass(frozen=True)
class Language:
    """One language of the words: its name as its speakers write it, the folder of its
    catalog under ``locales/``, and the locales that may format its numbers (the first is
    the default)."""

    name: str
    catalog: str
    locales: tuple[str, ...]


#: Every language of the app. A new one is a catalog and one line here.
LANGUAGES: dict[str, Language] = {
    "en": Language("English", "en", ("en_US", "en_GB")),
    "es": Language("Español", "es", ("es_ES", "es_MX", "es_AR", "es_CO", "es_CL", "es_PE")),
    "pt": Language("Português", "pt_BR", ("pt_BR", "pt_PT")),
    "gl": Language("Galego", "gl", ("gl_ES",)),
}
DEFAULT_LANGUAGE = "en"

RULE_TEXTS: dict[Rule, str] = {
    Rule.NOT_NEGATIVE: N_("rule.not_negative"),
    Rule.FRACTION: N_("rule.fraction"),
    Rule.POSITIVE: N_("rule.positive"),
    Rule.POSITIVE_OR_NULL: N_("rule.positive_or_null"),
    Rule.FINITE: N_("rule.finite"),
    Rule.CPM_WITH_SPEND: N_("rule.cpm_with_spend"),
    Rule.BUDGET_WITHOUT_SHARE: N_("rule.budget_without_share"),
    Rule.HOURS_WITHOUT_SHARE: N_("rule.hours_without_share"),
    Rule.NON_EMPTY: N_("rule.non_empty"),
    Rule.UNIQUE: N_("rule.unique"),
    Rule.ONE_OF: N_("rule.one_of"),
    Rule.CURRENCY: N_("rule.currency"),
    Rule.AT_LEAST_ONE: N_("rule.at_least_one"),
    Rule.MALFORMED_JSON: N_("rule.malformed_json"),
    Rule.UNKNOWN_FIELD: N_("rule.unknown_field"),
    Rule.MISSING_FIELD: N_("rule.missing_field"),
    Rule.WRONG_TYPE: N_("rule.wrong_type"),
    Rule.SCHEMA_VERSION: N_("rule.schema_version"),
    Rule.UNREADABLE: N_("rule.unreadable"),
    Rule.RANGE_ORDER: N_("rule.range_order"),
    Rule.RANGE_EXCLUDES_VALUE: N_("rule.range_excludes_value"),
    Rule.BELOW_ONE: N_("rule.below_one"),
    Rule.MONTH: N_("rule.month"),
    Rule.ORDER: N_("rule.order"),
    Rule.ABOVE_CEILING: N_("rule.above_ceiling"),
    Rule.BELOW_AUDIENCE: N_("rule.below_audience"),
}

# Field labels: a model path's leaf, looked up among the inputs, values and columns.
_LABEL_FAMILIES = ("input.{}", "value.{}", "col.{}")


@dataclass(frozen=True)
class Words:
    """One reader's words and numbers: a language of :data:`LANGUAGES` and a locale
    (``es`` with ``es_MX``). Make one with :func:`words_for`, which checks both."""

    language: str
    locale: str

    def t(self, key: str, **values: Any) -> str:
        """The text for ``key``, with ``{placeholders}`` filled."""
        text = _translations(self.language).gettext(key)
        return text.format(**values) if values else text

    def tn(self, key: str, plural_key: str, n: int, /, **values: Any) -> str:
        """The text for ``n`` of something, in the plural form the language uses for that
        number (``n`` chooses the form; pass it formatted among ``values`` to show it)."""
        text = _translations(self.language).ngettext(key, plural_key, n)
        return text.format(**values) if values else text

    def money(self, value: float | None, currency: str, *, decimals: int | None = None) -> str:
        return numbers.money(value, currency, self.locale, decimals=decimals)

    def number(self, value: float | None, *, decimals: int = 0) -> str:
        return numbers.number(value, self.locale, decimals=decimals)

    def percent(self, value: float | None, *, decimals: int = 1) -> str:
        return numbers.percent(value, self.locale, decimals=decimals)

    def ratio(self, value: float | None) -> str:
        return numbers.ratio(value, self.locale)

    def day(self, value: datetime) -> str:
        return numbers.day(value, self.locale)

    def field_label(self, path: str) -> str:
        """A readable name for a model field path such as ``channels[1].cpm``."""
        leaf = path.rsplit(".", 1)[-1]
        for family in _LABEL_FAMILIES:
            if leaf in FAMILIES[family]:
                return self.t(FAMILIES[family][leaf])
        return path

    def error_message(self, error: ScenarioError, channel_names: tuple[str, ...] = ()) -> str:
        """A model error in these words, naming the field as the user knows it."""
        label = self.field_label(error.field)
        if error.field.startswith("channels[") and "]" in error.field:
            index = error.field[len("channels[") : error.field.index("]")]
            if index.isdigit() and int(index) < len(channel_names):
                label = f"{channel_names[int(index)]} · {label}"
        field = error.field if error.rule in (Rule.UNKNOWN_FIELD, Rule.MISSING_FIELD) else label
        return self.t(RULE_TEXTS[error.rule], field=field, value=error.value, options=error.options)


@lru_cache(maxsize=64)
def words_for(language: str | None = None, locale: str | None = None) -> Words:
    """The words of a language (English when unknown or not given) and of one of its locales
    (its first when the one given is not among them)."""
    code = language if language in LANGUAGES else DEFAULT_LANGUAGE
    choices = LANGUAGES[code].locales
    return Words(code, locale if locale in choices else choices[0])


def key_for(template: str, value: object) -> str:
    """The key of ``value`` in a family of keys: ``key_for("lens.{}", "sales")`` is
    ``"lens.sales"``, found in :data:`FAMILIES`, where the extractor sees every key."""
    return FAMILIES[template][str(value)]


def has_text(key: str) -> bool:
    """Whether the English catalog, which every other one must match, has ``key``."""
    return key in catalog_keys("en")


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    """A language's catalog, falling back to English for a key it lacks (a test fails
    first)."""
    translations = _compiled(LANGUAGES[lang].catalog)
    if lang != DEFAULT_LANGUAGE:
        translations.add_fallback(_translations(DEFAULT_LANGUAGE))
    return translations


def _catalog_path(catalog: str) -> Path:
    return LOCALES_DIR / catalog / "LC_MESSAGES" / "messages.po"


def _compiled(catalog: str) -> gettext.GNUTranslations:
    """The .po file read by Babel and compiled in memory: no build step, no .mo in the repo."""
    with open(_catalog_path(catalog), "rb") as file:
        parsed = read_po(file, locale=catalog)
    buffer = io.BytesIO()
    write_mo(buffer, parsed)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def catalog_keys(lang: str) -> frozenset[str]:
    """Every key of a language's catalog."""
    with open(_catalog_path(LANGUAGES[lang].catalog), "rb") as f:
        return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id)
