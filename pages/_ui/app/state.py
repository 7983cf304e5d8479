"""The owner of the session's shared state: every key that more than one module reads is
declared here (the open history file's keys in :mod:`history_source`, beside it); a key that
only one view's own widgets use is declared at the top of that view.

The scenario being edited is kept as a *draft*: a dict in the scenario-file format, exactly as
the user entered it, even while it is invalid. Each rerun validates it; when it is invalid the
page shows why and keeps the last valid scenario's results, and nothing typed is lost.
Widgets are drawn from the draft and write back to it in callbacks, so their values survive
page switches (Streamlit forgets the state of widgets that a page did not draw).
"""

from __future__ import annotations

import copy
import json
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages._ui.app import draft_writer, storage
from pages._ui.i18n import (
    LANGUAGE_KEY,
    LANGUAGE_PARAM,
    LOCALE_KEY,
    LOCALE_PARAM,
    browser_choice,
    set_language,
    set_locale,
    url_choice,
)
from roi_model import Scenario, ScenarioError
from roi_model.files.assumptions import (
    SAMPLE_DATA,
    default_channel,
    load_benchmarks,
    load_channel_defaults,
    load_presets,
)
from roi_model.files.scenario_file import scenario_from_dict, scenario_to_dict
from roi_model.store import StoreError

T = TypeVar("T")

DEFAULT_PRESET = "online_shop"
SCENARIO_UPLOAD_MB = 200  # scenario files and their zips: the server itself takes up to 500 MB

DRAFT = "draft"  # the scenario being edited, scenario-file dict
PRESET = "preset"  # file stem of the preset the draft started from ("" for a file or none)
LAST_VALID = "last_valid"  # the last draft that validated, as a Scenario
EDITOR_VERSION = "editor_version"  # bumped to redraw data editors from the draft
PRESET_CHOICE = "preset_choice"  # the preset picked in the sidebar, not yet loaded
SLIDER_MAX = "slider_max"  # slider ranges, fixed when a scenario is loaded
SAVED = "saved"  # the stored scenario the draft was opened from (a SavedRef), or None
SESSION = "session"  # this browser tab's autosave token, also kept in the URL
AUTOSAVE_FAILED = "autosave_failed"  # why the last autosave failed (a StoreProblem), or False
AUTOSAVE_WRITE = "autosave_write"  # the autosave handed to the draft writer (a Future)
NOTICE = "start_notices"  # what happened when the session started: [(kind, text)]
BOUND_ON = "bound_on"  # each bound widget's key: the page it was last drawn on
HELD = "held"  # values kept for deferred downloads to read when clicked (see `held`)
_READ = "draft_read"  # (a copy of the draft, what `current_scenario` read of it)

SESSION_PARAM = "session"  # query parameter: a refresh finds its autosaved draft again
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True)
class SavedRef:
    """The stored scenario behind the draft: which one, at which version, with what content."""

    scenario_id: int
    client_id: int
    version: int
    body: dict[str, Any]  # the draft as last saved or loaded, to tell unsaved changes


# Read-only data shared by every session: cache_resource hands out the same objects instead
# of unpickling a copy on every rerun, as cache_data would.
@st.cache_resource
def presets() -> dict[str, Scenario]:
    """The preset scenarios shipped in ``sample_data/presets``."""
    return load_presets(SAMPLE_DATA / "presets")


@st.cache_resource
def channel_defaults() -> pd.DataFrame:
    return load_channel_defaults(SAMPLE_DATA / "channel_defaults.csv")


@st.cache_resource
def benchmarks() -> pd.DataFrame:
    return load_benchmarks(SAMPLE_DATA / "channel_benchmarks.csv")


def init_state() -> None:
    """Fill the keys every page reads; where the draft comes from is :mod:`session_start`'s."""
    if LANGUAGE_KEY not in st.session_state:
        named = url_choice(st.query_params.get(LANGUAGE_PARAM), st.query_params.get(LOCALE_PARAM))
        lang, region = named or browser_choice(st.context.locale)
        if LOCALE_KEY not in st.session_state:
            set_locale(region)
        set_language(lang)
    st.session_state.setdefault(EDITOR_VERSION, 0)
    st.session_state.setdefault(SAVED, None)


def new_session_token() -> str:
    return secrets.token_urlsafe(12)


def valid_token(token: str) -> bool:
    return bool(_TOKEN.fullmatch(token))


def load_scenario_into_draft(
    scenario: Scenario, preset: str = "", saved: SavedRef | None = None
) -> None:
    """Replace the scenario being edited; widgets are re-seeded from it on the next draw."""
    _set_draft(scenario_to_dict(scenario), scenario, preset, saved)


def restore_draft(draft_dict: dict[str, Any], saved: SavedRef | None, preset: str = "") -> None:
    """Bring back an autosaved draft exactly as it was typed, valid or not, with the preset
    it started from (a preset since removed counts as none)."""
    try:
        scenario = scenario_from_dict(draft_dict)
    except ScenarioError:
        scenario = presets()[DEFAULT_PRESET]  # results stay on a valid scenario meanwhile
    _set_draft(draft_dict, scenario, preset if preset in presets() else "", saved)


def _set_draft(
    draft_dict: dict[str, Any], scenario: Scenario, preset: str, saved: SavedRef | None
) -> None:
    st.session_state[DRAFT] = draft_dict
    st.session_state[PRESET] = preset
    st.session_state[SAVED] = saved
    st.session_state[LAST_VALID] = scenario
    st.session_state[SLIDER_MAX] = slider_ranges(scenario)
    bump_editors()
    autosave()


def saved_ref() -> SavedRef | None:
    """The stored scenario the draft belongs to, if any."""
    ref = st.session_state.get(SAVED)
    return ref if isinstance(ref, SavedRef) else None


def mark_saved(ref: SavedRef) -> None:
    """The draft now matches a stored version."""
    st.session_state[SAVED] = ref
    autosave()


def has_unsaved_changes() -> bool:
    ref = saved_ref()
    return ref is None or ref.body != st.session_state[DRAFT]


def autosave() -> None:
    """Keep the draft in the store under this tab's token, so a refresh loses nothing. The
    draft writer writes it while the page is drawn; how it went is known on a later run
    (:func:`autosave_problem`)."""
    store = storage.store()
    if store is None or SESSION not in st.session_state:
        return
    ref = saved_ref()
    autosave_problem()  # how the last write went, before its successor is handed over
    session = st.session_state[SESSION]
    st.session_state[AUTOSAVE_WRITE] = draft_writer.write(
        session,
        partial(
            store.autosave,
            session,
            json.dumps(st.session_state[DRAFT], ensure_ascii=False),
            None if ref is None else ref.scenario_id,
            None if ref is None else ref.version,
            st.session_state.get(PRESET, ""),
        ),
    )


def autosave_problem() -> str | bool:
    """Why the last finished autosave failed (a :class:`StoreProblem`'s value), else False.

    A store that is busy, or a server that is away, keeps the draft in the tab only: it is
    saved again on a later change. Any other error is the app's own and is raised here.
    """
    write = st.session_state.get(AUTOSAVE_WRITE)
    if write is not None and write.done():
        del st.session_state[AUTOSAVE_WRITE]
        error = write.exception()
        if error is not None and not isinstance(error, StoreError):
            raise error
        st.session_state[AUTOSAVE_FAILED] = False if error is None else error.problem.value
    return st.session_state.get(AUTOSAVE_FAILED) or False


def slider_ranges(scenario: Scenario) -> dict[str, float]:
    """Room to explore: four times today's value, at least a typical month's, rounded up."""
    inv = scenario.investment
    floors = {
        "ad_budget": 5000.0,
        "staff_hours": 160.0,
        "hourly_rate": 100.0,
        "fixed_costs": 2000.0,
    }
    ranges = {
        name: nice_ceiling(max(4 * getattr(inv, name), floor)) for name, floor in floors.items()
    }
    return ranges | {"order_value": nice_ceiling(max(4 * scenario.values.order_value, 200.0))}


def nice_ceiling(value: float) -> float:
    """The next 1, 2 or 5 times a power of ten: 3700 → 5000."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def draft() -> dict[str, Any]:
    """A copy of the draft, safe to read or change (see :func:`update_draft`)."""
    return copy.deepcopy(st.session_state[DRAFT])


def update_draft(change: Callable[[dict[str, Any]], None]) -> None:
    """Apply an in-place change to a copy of the draft and store it."""
    new_draft = draft()
    change(new_draft)
    st.session_state[DRAFT] = new_draft
    autosave()


def bump_editors() -> None:
    """Give data editors new keys so they redraw from the draft, dropping stale edits."""
    st.session_state[EDITOR_VERSION] = st.session_state.get(EDITOR_VERSION, 0) + 1


def edited_rows(key: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of the data editor ``key`` drawn from ``frame``, as the user left them: its
    widget state holds only the changes (edited cells, added rows, deleted rows)."""
    delta = st.session_state[key]
    rows = frame.to_dict("records")
    for row, values in delta.get("edited_rows", {}).items():
        rows[int(row)] |= values
    removed = set(delta.get("deleted_rows", []))
    kept = [row for index, row in enumerate(rows) if index not in removed]
    return kept + list(delta.get("added_rows", []))


def editor_key(name: str) -> str:
    return f"{name}_{st.session_state[EDITOR_VERSION]}"


def current_scenario() -> tuple[Scenario, ScenarioError | None]:
    """The draft as a scenario, or the last valid one and the reason the draft is refused.

    Read once per draft: a press asked for it three times, each a validation of every field
    (0.26 ms), where telling the draft from a copy of the one read last takes 2 µs."""
    draft_now = st.session_state[DRAFT]
    held = st.session_state.get(_READ)
    if held is not None and held[0] == draft_now:
        return held[1]  # type: ignore[no-any-return]
    try:
        read: tuple[Scenario, ScenarioError | None] = (scenario_from_dict(draft_now), None)
    except ScenarioError as error:
        read = (st.session_state[LAST_VALID], error)
    else:
        st.session_state[LAST_VALID] = read[0]
    st.session_state[_READ] = (copy.deepcopy(draft_now), read)
    return read


def preset_scenario() -> Scenario | None:
    """The preset the draft started from, for telling preset values from the user's."""
    return presets().get(st.session_state.get(PRESET, ""))


def new_channel_dict(name: str) -> dict[str, Any]:
    """A channel with its network's defaults, ready to add to the draft."""
    alone = Scenario(channels=(default_channel(name, channel_defaults()),))
    channels: list[dict[str, Any]] = scenario_to_dict(alone)["channels"]
    return channels[0]


def bind_draft(key: str, path: tuple[str, str], scale: float = 1.0) -> dict[str, Any]:
    """:func:`bind` a widget to ``draft[group][name]``, shown multiplied by ``scale``."""
    group, name = path

    def read() -> Any:
        value = st.session_state[DRAFT][group][name]  # a number: no copy of the draft needed
        return value * scale if scale != 1.0 else value

    def write(value: Any) -> None:
        stored = value / scale if scale != 1.0 and value is not None else value
        update_draft(lambda d: d[group].update({name: stored}))

    return bind(key, read, write)


def bind(key: str, read: Callable[[], Any], write: Callable[[Any], None]) -> dict[str, Any]:
    """Keyword arguments that tie a widget to the draft: drawn from it, written back on change.

    The widget's value is set from the draft whenever the widget does not already hold it: on
    its first draw, on another page (Streamlit does not carry a widget's value to the same key
    there), and after the draft changed elsewhere. The draft (written by the callback before the
    rerun) is the one truth. A widget that holds it is left alone: a value set from the script
    makes the browser draw the widget anew on every rerun, the same widget drawn again does not.

    >>> st.slider("Budget", **bind("ad_budget", get, put))  # doctest: +SKIP
    """
    wanted = read()
    bound_on = st.session_state.setdefault(BOUND_ON, {})
    page = _page()
    if (
        bound_on.get(key) != page
        or key not in st.session_state
        or not _same(st.session_state[key], wanted)
    ):
        st.session_state[key] = wanted
    bound_on[key] = page
    return {"key": key, "on_change": lambda: write(st.session_state[key])}


def _page() -> str:
    """The page being drawn (its script's hash; empty outside a script run)."""
    ctx = get_script_run_ctx()
    return "" if ctx is None else ctx.page_script_hash


def _same(held: Any, wanted: Any) -> bool:
    """Whether a widget already holds the draft's value (a scaled float may differ in its last
    bit from the value it was stored from)."""
    if isinstance(held, float) and isinstance(wanted, float):
        return math.isclose(held, wanted, rel_tol=1e-12, abs_tol=0.0)
    try:
        return type(held) is type(wanted) and bool(held == wanted)
    except (TypeError, ValueError):  # values that do not compare to one truth value
        return False


def hold(name: str, value: object) -> None:
    """Keep ``value`` under ``name`` for a callable made in an earlier run to read (see
    :func:`held`)."""
    st.session_state.setdefault(HELD, {})[name] = value


def held(name: str, default: T) -> Callable[[], T]:
    """A callable that returns the value last held under ``name`` (else ``default``) when it
    is called. A deferred download runs on its click, outside any script run, where the
    session's state is out of reach: it reads the session's values through this instead."""
    box: dict[str, Any] = st.session_state.setdefault(HELD, {})
    return lambda: box.get(name, default)
