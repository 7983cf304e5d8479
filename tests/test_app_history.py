"""AppTest: the What happened page — import, how it was read, figures, and calibration."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.history_view import CHANNEL, MAPPING, SOURCE
from roi_model import scenario_from_dict
from roi_model.calibrate import estimate_channels
from roi_model.importer import read_history

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "history" / "shop_history.csv"
TIMEOUT = 60


def history_page(*, language: str = "") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    if language:
        at.selectbox(key="language").set_value(language).run()
    return at.switch_page("pages/6_History.py").run()


def with_sample(**kwargs: str) -> AppTest:
    at = history_page(**kwargs)
    at.button(key="history_sample").click().run()
    assert not at.exception
    return at


def with_file(name: str, data: bytes) -> AppTest:
    """What an upload does: the file becomes the page's source."""
    at = history_page()
    at.session_state[SOURCE] = (name, data)
    at.session_state["history_source_version"] = 99
    at.run()
    assert not at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.caption, *at.markdown, *at.info, *at.success, *at.error)]
    return "\n".join(str(p) for p in parts)


def table_with(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_without_a_file_it_asks_for_one() -> None:
    at = history_page()
    assert not at.exception
    assert "Upload an export" in texts(at)


def test_the_sample_is_imported_and_summed() -> None:
    at = with_sample()
    assert [m.value for m in at.metric][:2] == ["2,928", "0"]  # rows, skipped
    table = table_with(at, "Full-value ROI")
    assert list(table["Channel"]) == ["Facebook", "Instagram", "Pinterest", "TikTok"]
    result = read_history(SAMPLE.read_bytes())
    spend = result.rows.groupby("channel")["spend"].sum()
    assert table.loc[0, "Spend"] == f"€{spend['Facebook']:,.0f}"


def test_per_month_and_filtered_by_channel() -> None:
    at = with_sample()
    at.segmented_control(key="history_group").set_value("month").run()
    at.multiselect(key="history_channels").set_value(["TikTok"]).run()
    table = table_with(at, "Full-value ROI")
    assert len(table) == 12 and table.loc[0, "Month"] == "2024-01"


def test_spanish_page_and_numbers() -> None:
    at = with_sample(language="es")
    assert at.title[0].value == "¿Qué rindieron las campañas pasadas?"
    assert at.metric[0].value == "2.928"


def test_use_these_numbers_calibrates_the_scenario_being_edited() -> None:
    at = with_sample()
    at.button(key="history_use").click().run()
    assert not at.exception
    draft = scenario_from_dict(at.session_state["draft"])
    assert draft.name.endswith("(from history)")
    estimates = {
        (e.channel, e.field): e.value
        for e in estimate_channels(read_history(SAMPLE.read_bytes()).rows)
    }
    facebook = next(c for c in draft.channels if c.name == "Facebook")
    assert facebook.cpm == pytest.approx(estimates[("Facebook", "cpm")])
    assert "assumptions taken from your history" in texts(at)


def test_calibrated_figures_show_their_history_as_source_in_spanish() -> None:
    at = with_sample(language="es")
    table = table_with(at, "Tomar")
    at.button(key="history_use").click().run()
    at.switch_page("pages/1_Assumptions.py").run()
    assert not at.exception
    sources = table_with(at, "Procede de")
    facebook_cpm = sources[(sources["Canal"] == "Facebook") & (sources["Supuesto"] == "CPM")]
    assert facebook_cpm["Procede de"].tolist() == ["Tu historial"]
    months = table.loc[table["Supuesto"] == "CPM", "Meses"].iloc[0]
    assert facebook_cpm["Fuente"].tolist() == [f"{months} meses · shop_history.csv"]
    order = sources[sources["Supuesto"] == "Valor medio del pedido"]
    assert order["Procede de"].tolist() == ["Tu historial"]
    assert order["Fuente"].iloc[0].endswith("meses-canal · shop_history.csv")


def test_a_file_with_nothing_usable_is_refused_with_its_columns() -> None:
    at = with_file("customers.csv", b"name,email,city\nAna,ana@example.com,Madrid\n")
    assert "Nothing in customers.csv can be used: its columns are name, email, city" in texts(at)


def test_a_file_without_channel_gets_one_from_the_user() -> None:
    data = b"date,spend,impressions,clicks\n2025-01-01,10,1000,10\n2025-01-02,20,2000,30\n"
    at = with_file("ads.csv", data)
    assert at.selectbox(key="history_channel_pick").value is None
    at.selectbox(key="history_channel_pick").set_value("Facebook").run()
    assert at.session_state[CHANNEL] == "Facebook"
    assert "channels: Facebook" in texts(at)


def test_a_corrected_mapping_is_read_again() -> None:
    data = b"date,channel,spend,visits\n2025-01-01,X,10,5\n"
    at = with_file("x.csv", data)
    at.session_state[MAPPING] = {"visits": ""}  # what the mapping editor writes: ignore it
    at.run()
    mapping = table_with(at, "field")
    assert list(mapping["column"]) == ["date", "channel", "spend", "visits"]
    assert list(mapping["field"]) == ["Date", "Channel", "Spend", "(ignore)"]


def test_a_date_range_narrows_the_figures_and_the_trend_is_drawn() -> None:
    from datetime import date

    at = with_sample()
    assert len(at.get("vega_lite_chart")) == 1  # month by month
    at.segmented_control(key="history_group").set_value("month").run()
    at.date_input(key="history_dates").set_value((date(2024, 3, 1), date(2024, 4, 30))).run()
    assert not at.exception
    assert list(table_with(at, "Full-value ROI")["Month"]) == ["2024-03", "2024-04"]


def test_skipped_lines_are_listed_with_their_reason_in_spanish() -> None:
    data = b"date,channel,spend\n2025-01-01,X,10\nTotal,,10\n"
    at = history_page(language="es")
    at.session_state[SOURCE] = ("x.csv", data)
    at.session_state["history_source_version"] = 7
    at.run()
    skipped = table_with(at, "Línea")
    assert list(skipped["Por qué se saltó"]) == ["una fila de total"]
    assert list(skipped["Línea"]) == [3]


def test_every_skip_reason_has_words() -> None:
    from pages._ui.i18n import CATALOG
    from roi_model.importer import SkipReason

    assert {f"history.skip.{r.name.lower()}" for r in SkipReason} <= set(CATALOG)
