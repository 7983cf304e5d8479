"""AppTest: the What happened page reads followers from a page export, shows the follow rate,
the churn and the audience beside today's, and "Use these numbers" takes them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.app.history_source import SOURCE
from roi_model.files.scenario_file import scenario_from_dict, scenario_to_dict
from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.spec import InputRange
from tests.audience_exports import facebook_page_insights_en, page_export_es
from tests.html_tables import table_with

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def page_with(
    name: str, data: bytes, *, language: str = "", ceiling: float | None = None
) -> AppTest:
    """The page looking at a file, as after an upload; Facebook's reachable audience set first."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    if language:
        at.selectbox(key="language").set_value(language).run()
    if ceiling is not None:
        draft = scenario_from_dict(at.session_state["draft"])
        channels = tuple(
            replace(c, audience_ceiling=ceiling) if c.name == "Facebook" else c
            for c in draft.channels
        )
        at.session_state["draft"] = scenario_to_dict(replace(draft, channels=channels))
    at = at.switch_page("pages/6_History.py").run()
    at.session_state[SOURCE] = (name, data)
    at.session_state["history_source_version"] = 41
    at.run()
    assert not at.exception
    return at


def facebook_page(**options: object) -> AppTest:
    """The English Page export, which has no channel column: the user says it is Facebook's."""
    at = page_with("page.csv", facebook_page_insights_en(), **options)  # type: ignore[arg-type]
    at.selectbox(key="history_channel_pick").set_value("Facebook").run()
    assert not at.exception
    return at


def estimates(at: AppTest, take: str = "Take", assumption: str = "Assumption") -> dict[str, object]:
    table = table_with(at, take)
    return table.set_index(assumption).to_dict("index")  # type: ignore[no-any-return]


def test_the_audience_rows_are_shown_beside_todays() -> None:
    at = facebook_page()
    rows = estimates(at)
    # 600 new likes on 120,000 impressions; 178 lost over month-end audiences of 30,540.
    rate = rows["New followers per impression"]
    assert (rate["From your history"], rate["Today"], rate["Months"]) == ("0.500%", "0.000%", "4")
    churn = rows["Followers lost per month"]
    assert (churn["From your history"], churn["Months"]) == ("0.58%", "3")
    audience = rows["Followers at the start"]
    assert (audience["From your history"], audience["Today"]) == ("10,360", "0")
    assert audience["How"] == "the audience at the end of the last month"
    assert audience["Likely between"] == "—"


def test_use_these_numbers_takes_the_audience_into_the_scenario() -> None:
    at = facebook_page()
    at.button(key="history_use").click().run()
    assert not at.exception
    draft = scenario_from_dict(at.session_state["draft"])
    facebook = next(c for c in draft.channels if c.name == "Facebook")
    assert facebook.follow_rate == pytest.approx(0.005 / facebook.fit)
    assert facebook.follower_churn == pytest.approx(178 / 30_540)
    assert facebook.followers == 10_360
    records = {(c.channel, c.field): c for c in draft.calibration}
    assert records[("Facebook", "followers")].source == "page.csv"
    assert {r.input for r in draft.uncertainty} >= {
        "channels[0].follow_rate",
        "channels[0].follower_churn",
    }


def test_an_audience_above_the_reachable_one_is_left_and_said_why() -> None:
    at = facebook_page(ceiling=5_000.0)
    assert "Followers at the start" not in estimates(at)
    kept = next(e for e in at.expander if e.label.startswith("Not in your history"))
    said = "\n".join(m.value for m in kept.markdown)
    assert "Facebook · Followers at the start: more than this channel's reachable audience" in said
    at.button(key="history_use").click().run()
    facebook = next(
        c for c in scenario_from_dict(at.session_state["draft"]).channels if c.name == "Facebook"
    )
    assert (facebook.followers, facebook.follow_rate) == (0.0, pytest.approx(0.005))


def test_a_spanish_export_in_spanish_the_audience_never_summed() -> None:
    at = page_with("paginas.csv", page_export_es(), language="es")
    figures = table_with(at, "ROI de valor total")
    # The audience at the end per channel, not the sum of its 32 rows.
    assert figures["Seguidores (audiencia)"].tolist() == ["20.480", "9.800"]
    assert figures["Seguidores nuevos"].tolist() == ["800", "1.280"]
    rows = table_with(at, "Tomar")
    shown = rows[rows["Canal"] == "Instagram"].set_index("Supuesto")["De tu historial"]
    assert shown["Seguidores nuevos por impresión"] == "0,800\u00a0%"
    assert shown["Seguidores perdidos al mes"] == "1,28\u00a0%"  # 360 / 28.200
    assert shown["Seguidores al empezar"] == "9.800"


def test_the_mapping_editor_names_the_audience_columns_in_every_language() -> None:
    at = facebook_page()
    mapping = table_with(at, "field").set_index("column")["field"]
    assert mapping["Lifetime Total Likes"] == "Followers (audience)"
    assert mapping["Daily New Likes"] == "New followers"
    for language, followers in (("es", "Seguidores (audiencia)"), ("pt", "Seguidores (público)")):
        at.selectbox(key="language").set_value(language).run()
        mapping = table_with(at, "field").set_index("column")["field"]
        assert mapping["Lifetime Total Likes"] == followers


def _with_facebook(at: AppTest, **changes: object) -> None:
    draft = scenario_from_dict(at.session_state["draft"])
    channels = tuple(replace(c, **changes) if c.name == "Facebook" else c for c in draft.channels)
    index = next(i for i, c in enumerate(channels) if c.name == "Facebook")
    ranged = (InputRange(f"channels[{index}].followers", 500.0, 2_000.0),)
    at.session_state["draft"] = scenario_to_dict(
        replace(draft, channels=channels, uncertainty=ranged)
    )


def test_a_range_on_the_audience_is_widened_to_the_history_not_broken() -> None:
    """The consultant guessed 1,000 followers, 500 to 2,000; the history says 10,360."""
    at = facebook_page()
    _with_facebook(at, followers=1_000.0)
    at.run()
    at.button(key="history_use").click().run()
    assert not at.exception
    draft = scenario_from_dict(at.session_state["draft"])
    facebook = next(c for c in draft.channels if c.name == "Facebook")
    assert facebook.followers == 10_360
    [followers] = [r for r in draft.uncertainty if r.input.endswith(".followers")]
    assert (followers.low, followers.high) == (500.0, 10_360.0)


def test_numbers_the_scenario_cannot_take_are_said_and_nothing_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pages._ui.views.history as history_view

    def refuse(*args: object, **kwargs: object) -> None:
        raise ScenarioError("channels[0].followers", 9e9, Rule.ABOVE_CEILING, "5000")

    at = facebook_page()
    before = at.session_state["draft"]
    monkeypatch.setattr(history_view, "calibrated_scenario", refuse)
    at.button(key="history_use").click().run()
    assert not at.exception
    assert [e.value for e in at.error][-1].startswith("These numbers were not taken")
    assert at.session_state["draft"] == before
