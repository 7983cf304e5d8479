"""The catalogs: every key the code names is in every language, none is left unused, each
text keeps its placeholders and has every plural form its language needs; and the language
and the locale are chosen apart."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator

import pytest
import streamlit as st
from babel.messages.pofile import read_po
from streamlit.runtime.state.session_state_proxy import SessionStateProxy
from streamlit.testing.v1 import AppTest

from pages._ui import fmt
from pages._ui.i18n import (
    FAMILIES,
    LANGUAGE_KEY,
    LANGUAGES,
    LOCALE_KEY,
    LOCALES_DIR,
    key_for,
    t,
    tn,
)
from tests.catalogs import ROOT, entries, placeholders, plural_forms, used_keys

OTHERS = [code for code in LANGUAGES if code != "en"]
# The command that writes messages.pot (ARCHITECTURE.md gives it whole).
EXTRACT = "extract -k t -k tn:1,2 -k N_ -k Nn_:1,2 --ignore-dirs .* --ignore-dirs __* --no-location"


@pytest.fixture(autouse=True)
def forget_language() -> Iterator[None]:
    yield
    st.session_state.pop(LANGUAGE_KEY, None)
    st.session_state.pop(LOCALE_KEY, None)


def speak(language: str, locale: str | None = None) -> None:
    st.session_state[LANGUAGE_KEY] = language
    st.session_state[LOCALE_KEY] = locale or LANGUAGES[language].locales[0]


class TestCatalogs:
    def test_the_extractor_finds_the_keys(self) -> None:
        assert len(used_keys()) > 600  # t(), tn() and N_() calls, families included

    def test_every_key_the_code_names_is_in_english(self) -> None:
        assert sorted(used_keys() - set(entries("en"))) == []

    def test_no_key_is_left_unused(self) -> None:
        assert sorted(set(entries("en")) - used_keys()) == []

    @pytest.mark.parametrize("language", OTHERS)
    def test_every_language_has_exactly_the_english_keys(self, language: str) -> None:
        missing = sorted(set(entries("en")) - set(entries(language)))
        unused = sorted(set(entries(language)) - set(entries("en")))
        assert (missing, unused) == ([], [])

    @pytest.mark.parametrize("language", list(LANGUAGES))
    def test_no_text_is_empty_and_placeholders_match_english(self, language: str) -> None:
        wrong = []
        for key, texts in entries(language).items():
            wanted = placeholders(entries("en")[key][0])
            for text in texts:
                if not text.strip() or placeholders(text) != wanted:
                    wrong.append((key, text))
        assert wrong == []

    @pytest.mark.parametrize("language", list(LANGUAGES))
    def test_plurals_have_every_form_of_their_language(self, language: str) -> None:
        """Forms by CLDR's rules, as Babel writes them in each catalog's Plural-Forms."""
        counted = {key for key, texts in entries("en").items() if len(texts) > 1}
        assert counted, "no plural entries found"
        wrong = {
            key: len(entries(language)[key])
            for key in counted
            if len(entries(language)[key]) != plural_forms(language)
        }
        assert wrong == {}

    def test_the_template_for_translators_lists_every_key(self) -> None:
        """messages.pot is what translators' tools merge from; it must not fall behind."""
        with open(LOCALES_DIR / "messages.pot", "rb") as file:
            template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id}
        assert template == set(used_keys())

    def test_pybabel_extract_runs_as_documented(self, tmp_path: object) -> None:
        out = f"{tmp_path}/messages.pot"
        command = [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            *EXTRACT.split(),
            "-o",
            out,
            "pages",
            "app.py",
            "roi_model",
        ]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        with open(out, "rb") as file:
            extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id}
        assert extracted == set(used_keys())


def test_no_text_is_asked_for_inside_an_f_string() -> None:
    """On Python 3.11 the extractor cannot see into f-strings: a key there would be missed."""
    hidden = []
    code = [ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "roi_model").rglob("*.py")]
    for path in code:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [
                    f"{path.name}:{call.lineno}"
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                    and _called_name(call.func) in ("t", "tn", "N_", "Nn_")
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ]
    assert hidden == []


def _called_name(func: ast.expr) -> str:
    """``t`` for ``t(...)`` and for ``words.t(...)``: the extractor sees both."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


class TestFamilies:
    def test_a_family_names_its_keys(self) -> None:
        assert key_for("lens.{}", "sales") == "lens.sales"

    def test_a_value_without_a_key_is_an_error_not_a_raw_key(self) -> None:
        with pytest.raises(KeyError):
            key_for("lens.{}", "nothing")

    def test_every_family_member_is_in_the_catalog(self) -> None:
        keys = [key for members in FAMILIES.values() for key in members.values()]
        assert sorted(set(keys) - set(entries("en"))) == []


class TestPlurals:
    @pytest.mark.parametrize(
        ("language", "n", "expected"),
        [("en", 1, "1 month"), ("en", 2, "2 months"), ("es", 1, "1 mes"), ("es", 5, "5 meses")],
    )
    def test_counted_nouns(self, language: str, n: int, expected: str) -> None:
        speak(language)
        shown = tn("origin.history_months", "origin.history_months.plural", n, months=n)
        assert shown == expected


class TestLanguageAndLocaleApart:
    @pytest.mark.parametrize(
        ("language", "locale", "money", "percent"),
        [
            ("es", "es_ES", "1.234,50\xa0€", "12,5\xa0%"),
            ("es", "es_MX", "EUR1,234.50", "12.5%"),
            ("en", "en_US", "€1,234.50", "12.5%"),
            ("pt", "pt_BR", "€\xa01.234,50", "12,5%"),
            ("gl", "gl_ES", "1\xa0234,50\xa0€", "12,5\xa0%"),
        ],
    )
    def test_numbers_follow_the_locale(
        self, language: str, locale: str, money: str, percent: str
    ) -> None:
        speak(language, locale)
        assert fmt.money(1234.5, "EUR", decimals=2) == money
        assert fmt.percent(0.125) == percent

    def test_a_mexican_reads_spanish_with_a_decimal_point(self) -> None:
        speak("es", "es_MX")
        assert t("kpi.investment") == "Inversión"
        assert fmt.number(1234.5, decimals=1) == "1,234.5"

    def test_a_locale_of_another_language_falls_back_to_the_languages_own(self) -> None:
        speak("es")
        st.session_state[LOCALE_KEY] = "pt_BR"
        assert fmt.number(1234.5, decimals=1) == "1.234,5"  # es_ES, not Brazil's


@pytest.mark.parametrize(
    ("language", "locale", "template"),
    [
        ("en", "en_US", "€%,.0f"),
        ("es", "es_ES", "%.0f\xa0€"),
        ("es", "es_MX", "EUR%,.0f"),
        ("pt", "pt_BR", "€\xa0%.0f"),
    ],
)
def test_widget_money_templates_put_the_symbol_where_the_locale_does(
    language: str, locale: str, template: str
) -> None:
    speak(language, locale)
    assert fmt.money_template("EUR") == template


def test_a_run_reads_the_language_once_and_follows_a_change_made_in_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The language and locale are read from the session once a run (a page asks for them
    hundreds of times), and a change within the run (the sidebar's callbacks) is followed."""

    def page() -> None:
        import streamlit as st

        from pages._ui import fmt
        from pages._ui.i18n import set_language, set_locale, t

        st.session_state.setdefault("lang", "es")
        st.session_state.setdefault("locale", "es_MX")
        for _ in range(50):
            shown = (t("nav.cockpit"), fmt.number(1234.5, decimals=1))
        st.write(" | ".join(shown))
        set_language("en")
        st.write(" | ".join((t("nav.cockpit"), fmt.number(1234.5, decimals=1))))
        set_language("es")
        set_locale("es_ES")
        st.write(" | ".join((t("nav.cockpit"), fmt.number(1234.5, decimals=1))))

    reads: list[str] = []
    real = SessionStateProxy.__getitem__

    def counted(self: SessionStateProxy, key: str) -> object:
        reads.append(key)
        return real(self, key)

    monkeypatch.setattr(SessionStateProxy, "__getitem__", counted)
    at = AppTest.from_function(page).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == [
        "Panel ¿y si…? | 1,234.5",  # Mexican Spanish writes a decimal point
        "What-if cockpit | 1,234.5",  # English, its first locale (en_US)
        "Panel ¿y si…? | 1.234,5",
    ]
    assert reads.count(LANGUAGE_KEY) <= 6  # not 150: each change is read once after it


def test_a_language_set_between_runs_is_the_next_run_s() -> None:
    def page() -> None:
        import streamlit as st

        from pages._ui.i18n import t

        st.write(t("nav.cockpit"))

    at = AppTest.from_function(page)
    at.session_state[LANGUAGE_KEY] = "es"
    assert at.run().markdown[0].value == "Panel ¿y si…?"
    at.session_state[LANGUAGE_KEY] = "en"
    assert at.run().markdown[0].value == "What-if cockpit"
