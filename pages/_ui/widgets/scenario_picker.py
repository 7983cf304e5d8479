"""The scenarios to put side by side: every one that can be picked, the picker, and the picked
ones loaded and evaluated (the Compare page, and the Goals page across scenarios).

A scenario is picked by a key: ``draft`` (the one being edited), ``preset:<stem>`` or
``stored:<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from pages._ui.app import state, storage
from pages._ui.app.model import evaluated
from pages._ui.i18n import t
from roi_model import Evaluation, Scenario, ScenarioError
from roi_model.store import ScenarioStore, StoreError

PICKED = "compare_selection"  # the keys picked; the widgets below are drawn from these
MAX_SCENARIOS = 6
DRAFT_KEY = "draft"


@dataclass(frozen=True)
class Picked:
    """The scenarios on the page, in the order picked, with unique labels.

    Hashable by its scenarios and labels (evaluations follow from them), so that the tables
    drawn from it are cached: a change of base reformats nothing it does not change.
    """

    keys: tuple[str, ...]
    labels: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    evaluations: tuple[Evaluation, ...] = field(compare=False)


def choices(store: ScenarioStore | None) -> dict[str, str]:
    """Every scenario that can be compared, key → label: the draft, presets, stored ones."""
    found = {DRAFT_KEY: t("compare.draft", name=state.draft().get("name", ""))}
    found |= {
        f"preset:{stem}": t("compare.preset", name=preset.name)
        for stem, preset in state.presets().items()
    }
    if store is not None:
        found |= {f"stored:{s.id}": f"{s.client_name} · {s.name}" for s in store.scenarios()}
    return found


def pick(options: dict[str, str]) -> list[str]:
    """The multiselect of 2 to 6 scenarios; starts with the draft and its preset or first other."""
    if PICKED not in st.session_state:
        st.session_state[PICKED] = _default_pick(options)
    st.session_state[PICKED] = [k for k in st.session_state[PICKED] if k in options]
    return list(
        st.multiselect(
            t("compare.pick"),
            list(options),
            format_func=options.__getitem__,
            max_selections=MAX_SCENARIOS,
            help=t("compare.pick_help"),
            placeholder=t("ui.choose"),
            # Drawn from the keys each run: the labels change with the language.
            **state.bind("compare_picked", lambda: st.session_state[PICKED], _set_picked),
        )
    )


def _set_picked(keys: list[str]) -> None:
    st.session_state[PICKED] = list(keys)


def _default_pick(options: dict[str, str]) -> list[str]:
    preset = st.session_state.get(state.PRESET, "")
    second = f"preset:{preset}" if f"preset:{preset}" in options else None
    others = [k for k in options if k != DRAFT_KEY]
    return [DRAFT_KEY, second or others[0]] if others else [DRAFT_KEY]


def load(store: ScenarioStore | None, keys: list[str], options: dict[str, str]) -> Picked:
    """The picked scenarios, evaluated; one that cannot be read is left out with a warning."""
    kept: list[str] = []
    scenarios: list[Scenario] = []
    for key in keys:
        scenario = _resolve(store, key)
        if isinstance(scenario, str):
            st.warning(t("compare.unreadable", name=options[key], reason=scenario))
            continue
        kept.append(key)
        scenarios.append(scenario)
    labels = tuple(options[k] for k in kept)
    evaluations = tuple(evaluated(s) for s in scenarios)
    return Picked(tuple(kept), labels, tuple(scenarios), evaluations)


def _resolve(store: ScenarioStore | None, key: str) -> Scenario | str:
    if key == DRAFT_KEY:
        return state.current_scenario()[0]
    kind, _, name = key.partition(":")
    if kind == "preset":
        return state.presets()[name]
    if store is None:
        return t("compare.store_off")
    try:
        return store.load(int(name))[1]
    except (StoreError, ScenarioError) as error:
        return storage.refusal(error)
