"""The sidebar every page shares: language, currency, presets, scenario files."""

from __future__ import annotations

import streamlit as st

from pages._ui.app import session_start, sign_in, state
from pages._ui.fmt import CURRENCIES
from pages._ui.i18n import (
    LANGUAGE_KEY,
    LANGUAGES,
    error_message,
    language,
    locale_code,
    region_name,
    set_language,
    set_locale,
    t,
)
from pages._ui.widgets import figure_cards, html_table
from pages._ui.widgets.headings import page_title
from roi_model import ScenarioError
from roi_model.files.scenario_file import scenario_from_json

_UPLOADED = "uploaded_file_id"
_FILE_NOTICE = "file_notice"


def start_page(title_key: str, intro_key: str) -> None:
    """What every page does first: fill the session's state, draw the sidebar and the title."""
    session_start.start_session()
    render_sidebar()
    # the cards' and the tables' rules, once for the page: not in every element a press redraws
    st.html(figure_cards.STYLE + html_table.CSS)
    page_title(title_key)
    st.caption(t(intro_key))
    session_start.show_notice()


def render_sidebar() -> None:
    """Draw the shared sidebar; call once per page after the session has started."""
    with st.sidebar:
        st.page_link("app.py", label=t("nav.cockpit"), icon=":material/tune:")
        st.page_link(
            "pages/1_Assumptions.py", label=t("nav.assumptions"), icon=":material/menu_book:"
        )
        st.page_link(
            "pages/2_Scenarios.py", label=t("nav.scenarios"), icon=":material/folder_open:"
        )
        st.page_link("pages/3_Compare.py", label=t("nav.compare"), icon=":material/compare:")
        st.page_link("pages/4_Channels.py", label=t("nav.channels"), icon=":material/hub:")
        st.page_link("pages/5_Goals.py", label=t("nav.goals"), icon=":material/flag:")
        st.page_link("pages/6_History.py", label=t("nav.history"), icon=":material/history:")
        st.page_link("pages/7_Meeting.py", label=t("nav.meeting"), icon=":material/co_present:")
        st.page_link(
            "pages/8_Months_ahead.py", label=t("nav.months"), icon=":material/calendar_month:"
        )
        st.divider()
        st.selectbox(
            t("sidebar.language"),
            list(LANGUAGES),
            format_func=lambda code: LANGUAGES[code].name,
            **state.bind("language", lambda: st.session_state[LANGUAGE_KEY], _set_language),
        )
        _region_picker()
        _currency_picker()
        _preset_picker()
        _scenario_files()
        sign_in.signed_in_panel()


def _set_language(code: str) -> None:
    set_language(code)
    state.bump_editors()  # editors' column labels are part of their identity


def _region_picker() -> None:
    """The country whose way of writing numbers, dates and money the app follows."""
    choices = LANGUAGES[language()].locales
    if len(choices) < 2:
        return
    names = {code: region_name(code) for code in choices}  # in this run's language
    st.selectbox(
        t("sidebar.region"),
        choices,
        format_func=names.__getitem__,
        help=t("sidebar.region_help"),
        # A key per language: the countries are named in it, and the names are the options.
        **state.bind(f"region_{language()}", locale_code, _set_region),
    )


def _set_region(code: str) -> None:
    set_locale(code)
    state.bump_editors()


def _currency_picker() -> None:
    current = state.draft()["currency"]
    options = list(CURRENCIES) + ([current] if current not in CURRENCIES else [])
    st.selectbox(
        t("sidebar.currency"),
        options,
        help=t("sidebar.currency_help"),
        **state.bind(
            "currency",
            lambda: current,
            lambda code: state.update_draft(lambda d: d.update(currency=code)),
        ),
    )


def _preset_picker() -> None:
    presets = state.presets()
    st.selectbox(
        t("sidebar.preset"),
        list(presets),
        format_func=lambda stem: presets[stem].name,
        help=t("sidebar.preset_help"),
        **state.bind("preset_picker", _preset_choice, _choose_preset),
    )
    if st.button(t("sidebar.load_preset"), icon=":material/restart_alt:", key="load_preset"):
        stem = _preset_choice()
        state.load_scenario_into_draft(presets[stem], stem)
        st.rerun()


def _preset_choice() -> str:
    """The preset picked in the sidebar; the one loaded until the user picks another."""
    default = st.session_state[state.PRESET] or next(iter(state.presets()))
    return str(st.session_state.get(state.PRESET_CHOICE, default))


def _choose_preset(stem: str) -> None:
    st.session_state[state.PRESET_CHOICE] = stem


def _scenario_files() -> None:
    upload = st.file_uploader(
        t("sidebar.upload"),
        type=["json"],
        help=t("sidebar.upload_help"),
        key="upload_scenario",
        max_upload_size=state.SCENARIO_UPLOAD_MB,
    )
    if upload is not None and st.session_state.get(_UPLOADED) != upload.file_id:
        st.session_state[_UPLOADED] = upload.file_id
        st.session_state[_FILE_NOTICE] = _open_file(upload.getvalue())
        st.rerun()
    notice = st.session_state.get(_FILE_NOTICE)
    if notice:
        (st.success if notice[0] == "ok" else st.error)(notice[1])


def _open_file(content: bytes) -> tuple[str, str]:
    """Load an uploaded scenario file; a refused file leaves the current scenario untouched."""
    try:
        scenario = scenario_from_json(content.decode("utf-8"))
    except UnicodeDecodeError:
        return "error", t("sidebar.file_refused", reason=t("rule.unreadable"))
    except ScenarioError as error:
        return "error", t("sidebar.file_refused", reason=error_message(error))
    state.load_scenario_into_draft(scenario)
    return "ok", t("sidebar.loaded", name=scenario.name)
