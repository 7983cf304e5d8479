"""The translation layer of the pages: the words of :mod:`roi_model.words` in the session's
language and locale (chosen apart: a Mexican consultant reads Spanish with a decimal point),
kept in the session and the URL.

Keys are stable identifiers (``"cockpit.title"``), written literally where they are used so
that ``pybabel extract`` finds them: ``t("key")``, ``tn("key", "key.plural", n)`` for counted
nouns, and ``N_("key")`` (``Nn_`` for a counted pair) to mark a key kept in a table for later.
"""

from __future__ import annotations

import weakref
from typing import Any

import streamlit as st
from babel import Locale, UnknownLocaleError
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from roi_model import ScenarioError
from roi_model.words import (
    DEFAULT_LANGUAGE,
    FAMILIES,
    LANGUAGES,
    LOCALES_DIR,
    N_,
    RULE_TEXTS,
    Language,
    Nn_,
    Words,
    has_text,
    key_for,
    words_for,
)

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
    "set_language",
    "set_locale",
    "t",
    "tn",
    "url_choice",
    "words",
]

LANGUAGE_KEY = "lang"
LOCALE_KEY = "locale"
# The URL keeps both (``?lang=es&locale=es_MX``): a refresh and a shared link keep them too.
LANGUAGE_PARAM, LOCALE_PARAM = "lang", "locale"


def language() -> str:
    """The session's language of the words (a code of ``LANGUAGES``)."""
    return _codes()[0]


def locale_code() -> str:
    """The session's locale for numbers, dates and money: one of its language's locales."""
    return _codes()[1]


def set_language(code: str) -> None:
    """Make ``code`` the session's language, its locale one of the language's."""
    st.session_state[LANGUAGE_KEY] = code
    if st.session_state.get(LOCALE_KEY) not in LANGUAGES[code].locales:
        st.session_state[LOCALE_KEY] = LANGUAGES[code].locales[0]
    _forget_codes()


def set_locale(code: str) -> None:
    """Make ``code`` the session's locale for numbers, dates and money."""
    st.session_state[LOCALE_KEY] = code
    _forget_codes()


#: The language and locale each script run has read, kept for the rest of the run: a page
#: formats hundreds of texts and figures a run, and each read of the session's state costs
#: a few microseconds (some 750 reads, 2-3 ms, a slider press on the cockpit). Keyed by an
#: object Streamlit makes anew for every run, held weakly: it goes with its run.
_RUN_CODES: weakref.WeakKeyDictionary[object, tuple[str, str]] = weakref.WeakKeyDictionary()


def _codes() -> tuple[str, str]:
    run = _this_run()
    codes = None if run is None else _RUN_CODES.get(run)
    if codes is None:
        codes = _read_codes()
        if run is not None:
            _RUN_CODES[run] = codes
    return codes


def _read_codes() -> tuple[str, str]:
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    choices = LANGUAGES[lang].locales
    code = st.session_state.get(LOCALE_KEY)
    return lang, code if code in choices else choices[0]


def _this_run() -> object | None:
    """An object of the script run under way (None outside one, or if Streamlit has none)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else getattr(ctx, "parallel_coordinator", None)


def _forget_codes() -> None:
    run = _this_run()
    if run is not None:
        _RUN_CODES.pop(run, None)


def words() -> Words:
    """The session's words: its language and locale."""
    return words_for(language(), locale_code())


def display_key() -> str:
    """What a cached piece of the page drawn in words and numbers depends on."""
    return f"{language()}:{locale_code()}"


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the session's language, with ``{placeholders}`` filled."""
    return words().t(key, **values)


def tn(key: str, plural_key: str, n: int, /, **values: Any) -> str:
    """The text for ``n`` of something, in the plural form the language uses for that number
    (``n`` chooses the form; pass it formatted among ``values`` to show it)."""
    return words().tn(key, plural_key, n, **values)


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


def field_label(path: str) -> str:
    """A readable, translated name for a model field path such as ``channels[1].cpm``."""
    return words().field_label(path)


def error_message(error: ScenarioError, channel_names: tuple[str, ...] = ()) -> str:
    """A model error in the user's language, naming the field as the user knows it."""
    return words().error_message(error, channel_names)
