"""The translation layer: the words in the session's language, from one gettext catalog per
language (``locales/<catalog>/LC_MESSAGES/messages.po``, read with Babel), and the locale
that formats numbers, dates and money, chosen apart from the language (a Mexican consultant
reads Spanish with a decimal point).

Keys are stable identifiers (``"cockpit.title"``), written literally where they are used so
that ``pybabel extract`` finds them: ``t("key")``, ``tn("key", "key.plural", n)`` for counted
nouns (plural forms by CLDR's rules for each language), and ``N_("key")`` (``Nn_`` for a
counted pair) to mark a key kept in a table for later. English is a catalog like the others.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st
from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from pages._ui.i18n.families import FAMILIES, N_, Nn_
from roi_model import Rule, ScenarioError

__all__ = [
    "DEFAULT_LANGUAGE",
    "FAMILIES",
    "LANGUAGES",
    "LANGUAGE_KEY",
    "LANGUAGE_PARAM",
    "LOCALES_DIR",
    "LOCALE_KEY",
    "LOCALE_PARAM",
    "N_",
    "RULE_TEXTS",
    "Language",
    "Nn_",
    "browser_choice",
    "display_key",
    "error_message",
    "field_label",
    "has_text",
    "key_for",
    "language",
    "locale_code",
    "region_name",
    "t",
    "tn",
    "url_choice",
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
LANGUAGE_KEY = "lang"
LOCALE_KEY = "locale"
# The URL keeps both (``?lang=es&locale=es_MX``): a refresh and a shared link keep them too.
LANGUAGE_PARAM, LOCALE_PARAM = "lang", "locale"


def language() -> str:
    """The session's language of the words (a code of ``LANGUAGES``)."""
    code = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def locale_code() -> str:
    """The session's locale for numbers, dates and money: one of its language's locales."""
    choices = LANGUAGES[language()].locales
    code = st.session_state.get(LOCALE_KEY)
    return code if code in choices else choices[0]


def display_key() -> str:
    """What a cached piece of the page drawn in words and numbers depends on."""
    return f"{language()}:{locale_code()}"


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the session's language, with ``{placeholders}`` filled."""
    text = _translations(language()).gettext(key)
    return text.format(**values) if values else text


def tn(key: str, plural_key: str, n: int, /, **values: Any) -> str:
    """The text for ``n`` of something, in the plural form the language uses for that number
    (``n`` chooses the form; pass it formatted among ``values`` to show it)."""
    text = _translations(language()).ngettext(key, plural_key, n)
    return text.format(**values) if values else text


def key_for(template: str, value: object) -> str:
    """The key of ``value`` in a family of keys: ``key_for("lens.{}", "sales")`` is
    ``"lens.sales"``, found in :data:`FAMILIES`, where the extractor sees every key."""
    return FAMILIES[template][str(value)]


def has_text(key: str) -> bool:
    """Whether the English catalog, which every other one must match, has ``key``."""
    return key in _ids("en")


def browser_choice(browser_locale: str | None) -> tuple[str, str]:
    """The language and locale for a browser's locale: "es-MX" gives Spanish with Mexico's
    numbers, "pt-BR" Portuguese with Brazil's; a country we do not list takes its language's
    first locale, and a language we do not have English."""
    try:
        parsed = Locale.parse((browser_locale or "").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return DEFAULT_LANGUAGE, LANGUAGES[DEFAULT_LANGUAGE].locales[0]
    lang = parsed.language if parsed.language in LANGUAGES else DEFAULT_LANGUAGE
    wanted = f"{parsed.language}_{parsed.territory}"
    choices = LANGUAGES[lang].locales
    return lang, wanted if wanted in choices else choices[0]


def url_choice(language_param: str | None, locale_param: str | None) -> tuple[str, str] | None:
    """The language and locale a URL names (the locale only if it is one of the language's),
    or None when it names no language of ours."""
    if language_param not in LANGUAGES:
        return None
    choices = LANGUAGES[language_param].locales
    return language_param, locale_param if locale_param in choices else choices[0]


def region_name(code: str) -> str:
    """A locale's country in the session's language: "es_MX" -> "México" / "Mexico"."""
    territory = Locale.parse(code).territory or code
    return str(_display_locale().territories.get(territory, territory))


def _display_locale() -> Locale:
    return Locale.parse(LANGUAGES[language()].locales[0])


# Field labels: a model path's leaf, looked up among the inputs, values and columns.
_LABEL_FAMILIES = ("input.{}", "value.{}", "col.{}")


def field_label(path: str) -> str:
    """A readable, translated name for a model field path such as ``channels[1].cpm``."""
    leaf = path.rsplit(".", 1)[-1]
    for family in _LABEL_FAMILIES:
        if leaf in FAMILIES[family]:
            return t(FAMILIES[family][leaf])
    return path


def error_message(error: ScenarioError, channel_names: tuple[str, ...] = ()) -> str:
    """A model error in the user's language, naming the field as the user knows it."""
    label = field_label(error.field)
    if error.field.startswith("channels[") and "]" in error.field:
        index = error.field[len("channels[") : error.field.index("]")]
        if index.isdigit() and int(index) < len(channel_names):
            label = f"{channel_names[int(index)]} · {label}"
    field = error.field if error.rule in (Rule.UNKNOWN_FIELD, Rule.MISSING_FIELD) else label
    return t(RULE_TEXTS[error.rule], field=field, value=error.value, options=error.options)


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
}


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    """A language's catalog, falling back to English for a key it lacks (a test fails
    first)."""
    translations = _compiled(LANGUAGES[lang].catalog)
    if lang != DEFAULT_LANGUAGE:
        translations.add_fallback(_translations(DEFAULT_LANGUAGE))
    return translations


def _compiled(catalog: str) -> gettext.GNUTranslations:
    """The .po file read by Babel and compiled in memory: no build step, no .mo in the repo."""
    with open(LOCALES_DIR / catalog / "LC_MESSAGES" / "messages.po", "rb") as file:
        parsed = read_po(file, locale=catalog)
    buffer = io.BytesIO()
    write_mo(buffer, parsed)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def _ids(lang: str) -> frozenset[str]:
    with open(LOCALES_DIR / LANGUAGES[lang].catalog / "LC_MESSAGES" / "messages.po", "rb") as f:
        return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id)
