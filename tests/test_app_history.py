"""AppTest: the What happened page — import, how it was read, figures, and calibration."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.app.history_source import CHANNEL, MAPPING, SOURCE
from pages._ui.views import history as history_view
from roi_model.files.imports import read_history
from roi_model.files.scenario_file import scenario_from_dict
from roi_model.model.calibrate import estimate_channels
from roi_model.model.history import GROUPS
from roi_model.store import ScenarioStore
from tests.html_tables import table_with, tables_in

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "history" / "shop_history.csv"
TIMEOUT = 60


def grouped_table(at: AppTest) -> pd.DataFrame:
    """The table per group as shown: the chosen grouping's (every grouping's table is drawn,
    each in a box of its grouping's class), its names as a column."""
    body = next(e.proto.body for e in at.html if 'class="for-group' in e.proto.body)
    chosen = GROUPS.index(at.segmented_control(key="history_group").value)
    boxes = body.split('<div class="for-group for-group-')[1:]  # each starts with its index
    box = next(b for b in boxes if b.startswith(f'{chosen}"'))
    return tables_in(box)[0].reset_index()


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


def open_details(at: AppTest) -> AppTest:
    """What clicks on "How the file was read" and on the staff hours per month do: their
    grids are drawn only while open."""
    version = at.session_state["history_source_version"]
    at.session_state[f"history_how_read_{version}"] = True
    at.session_state["history_hours_panel"] = True
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.caption, *at.markdown, *at.info, *at.success, *at.error)]
    return "\n".join(str(p) for p in parts)


def test_without_a_file_it_asks_for_one() -> None:
    at = history_page()
    assert not at.exception
    assert "Upload an export" in texts(at)


def test_the_sample_is_imported_and_summed() -> None:
    at = with_sample()
    assert [m.value for m in at.metric][:2] == ["2,928", "0"]  # rows, skipped
    table = grouped_table(at)
    assert list(table["Channel"]) == ["Facebook", "Instagram", "Pinterest", "TikTok"]
    result = read_history(SAMPLE.read_bytes())
    spend = result.rows.groupby("channel")["spend"].sum()
    assert table.loc[0, "Spend"] == f"€{spend['Facebook']:,.0f}"


def test_per_month_and_filtered_by_channel() -> None:
    at = with_sample()
    at.segmented_control(key="history_group").set_value("month").run()
    at.multiselect(key="history_channels").set_value(["TikTok"]).run()
    table = grouped_table(at)
    assert len(table) == 12 and table.loc[0, "Month"] == "2024-01"
    # a month per row can run long: the table scrolls inside its own box
    body = next(e.proto.body for e in at.html if "2024-01" in e.proto.body)
    assert 'class="text-table-scroll tall"' in body


def test_figures_are_summed_again_only_when_what_they_show_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A million-row history takes about a second to sum: a click elsewhere on the page must
    not redo it, a change of grouping or filter must."""
    groupings: list[tuple[str, ...]] = []
    real = history_view.summary

    def counted(*args: Any, **kwargs: Any) -> pd.DataFrame:
        groupings.append(tuple(kwargs["by"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(history_view, "summary", counted)
    at = with_sample()
    # every grouping's table (drawn at once, the chosen one shown); by month is the trend's
    every = [("campaign",), ("channel",), ("month",)]
    assert sorted(groupings) == every
    at.run()  # a rerun that changes nothing they show
    at.segmented_control(key="history_group").set_value("campaign").run()
    assert len(groupings) == 3  # a change of grouping shows a table summed already
    at.multiselect(key="history_channels").set_value(["TikTok"]).run()
    assert sorted(groupings[3:]) == every
    campaigns = grouped_table(at)["Campaign"]
    tiktok = read_history(SAMPLE.read_bytes()).rows.query("channel == 'TikTok'")["campaign"]
    assert set(campaigns) == set(tiktok)


def test_the_open_file_is_named_with_its_size() -> None:
    at = with_sample(language="es")
    size = round(SAMPLE.stat().st_size / 1e3)  # 207 kB
    assert f"Abierto: shop_history.csv ({size} kB)" in texts(at)


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
    assert not any("field" in d.value.columns for d in at.dataframe)  # folded: no grid drawn
    mapping = table_with(open_details(at), "field")
    assert list(mapping["column"]) == ["date", "channel", "spend", "visits"]
    assert list(mapping["field"]) == ["Date", "Channel", "Spend", "(ignore)"]


def test_a_date_range_narrows_the_figures_and_the_trend_is_drawn() -> None:
    from datetime import date

    at = with_sample()
    assert len(at.get("vega_lite_chart")) == 2  # ROI by channel, and month by month
    at.segmented_control(key="history_group").set_value("month").run()
    assert len(at.get("vega_lite_chart")) == 1  # by month, the months are the comparison
    at.date_input(key="history_dates").set_value((date(2024, 3, 1), date(2024, 4, 30))).run()
    assert not at.exception
    assert list(grouped_table(at)["Month"]) == ["2024-03", "2024-04"]


def test_skipped_lines_are_listed_with_their_reason_in_spanish() -> None:
    data = b"date,channel,spend\n2025-01-01,X,10\nTotal,,10\n"
    at = history_page(language="es")
    at.session_state[SOURCE] = ("x.csv", data)
    at.session_state["history_source_version"] = 7
    at.run()
    skipped = table_with(open_details(at), "Línea")
    assert list(skipped["Por qué se saltó"]) == ["una fila de total"]
    assert list(skipped["Línea"]) == [3]


def test_every_skip_reason_has_words() -> None:
    from pages._ui.i18n import has_text
    from roi_model.files.imports import SkipReason

    assert all(has_text(f"history.skip.{r.name.lower()}") for r in SkipReason)


# --- Histories kept per client ------------------------------------------------------------

EXPORT = b"date,channel,spend,visits\n2025-01-01,Facebook,10,5\n2025-02-01,Facebook,20,9\n"


def kept(store_path: Path, client: str = "Acme"):  # type: ignore[no-untyped-def]
    with ScenarioStore(store_path) as store:
        found = next(c for c in store.clients() if c.name == client)
        return [store.load_history(h.id) for h in store.histories(found.id)]


def with_client(store_path: Path, *names: str) -> None:
    with ScenarioStore(store_path) as store:
        for name in names:
            store.create_client(name)


def test_without_a_client_it_offers_one_and_then_keeps_the_upload(
    private_scenario_store: Path,
) -> None:
    at = with_file("ads.csv", EXPORT)
    assert "create a client" in texts(at)
    assert "Not kept" in texts(at)
    at.text_input(key="history_new_client_name").input("Acme")
    next(b for b in at.button if b.label == "Create").click().run()
    assert not at.exception
    (stored,) = kept(private_scenario_store)
    assert (stored.summary.name, stored.data, stored.summary.rows) == ("ads.csv", EXPORT, 2)
    assert (stored.summary.first_date.isoformat(), stored.summary.last_date.isoformat()) == (
        "2025-01-01",
        "2025-02-01",
    )
    assert "Kept as “ads.csv”" in texts(at)


def test_a_correction_updates_what_was_kept(private_scenario_store: Path) -> None:
    with_client(private_scenario_store, "Acme")
    at = with_file("ads.csv", EXPORT)
    (first,) = kept(private_scenario_store)
    assert first.mapping == {}
    at.session_state[MAPPING] = {"visits": ""}  # what the mapping editor writes
    at.run()
    (again,) = kept(private_scenario_store)
    assert (again.summary.id, again.mapping) == (first.summary.id, {"visits": ""})


def test_kept_histories_reopen_next_time_with_their_corrections(
    private_scenario_store: Path,
) -> None:
    with_client(private_scenario_store, "Acme", "Beta")
    at = with_file("ads.csv", EXPORT)
    at.session_state[MAPPING] = {"visits": ""}
    at.run()
    (stored,) = kept(private_scenario_store)
    later = history_page(language="es")  # another day, another session
    assert "Historiales guardados de Acme (1)" in [e.label for e in later.expander]
    later.button(key=f"history_open_{stored.summary.id}").click().run()
    assert not later.exception
    mapping = table_with(open_details(later), "field")
    assert list(mapping["field"]) == ["Fecha", "Canal", "Gasto", "(ignorar)"]
    assert "Guardado como «ads.csv»" in texts(later)
    assert kept(private_scenario_store)[0].summary.updated_at == stored.summary.updated_at
    later.selectbox(key="history_client").set_value(
        next(c.id for c in ScenarioStore(private_scenario_store).clients() if c.name == "Beta")
    ).run()
    assert "Historiales guardados de Beta (0)" in [e.label for e in later.expander]


def test_delete_and_undo(private_scenario_store: Path) -> None:
    with_client(private_scenario_store, "Acme")
    with_file("ads.csv", EXPORT)
    (stored,) = kept(private_scenario_store)
    at = history_page()
    at.button(key=f"history_delete_{stored.summary.id}").click().run()
    assert kept(private_scenario_store) == []
    assert "The history “ads.csv” was deleted." in texts(at)
    at.button(key="history_undo_button").click().run()
    assert [h.summary.id for h in kept(private_scenario_store)] == [stored.summary.id]


def test_the_sample_is_not_kept(private_scenario_store: Path) -> None:
    with_client(private_scenario_store, "Acme")
    at = with_sample()
    assert "The sample history is not kept" in texts(at)
    assert kept(private_scenario_store) == []


def test_a_damaged_kept_history_says_so_and_the_page_goes_on(
    private_scenario_store: Path,
) -> None:
    with_client(private_scenario_store, "Acme")
    with_file("ads.csv", EXPORT)
    (stored,) = kept(private_scenario_store)
    with closing(sqlite3.connect(private_scenario_store)) as conn, conn:
        conn.execute("UPDATE histories SET data = x'00'")
    at = history_page()
    at.button(key=f"history_open_{stored.summary.id}").click().run()
    assert not at.exception
    assert any("damaged" in e.value or "corrupt" in e.value.lower() for e in at.error)
    assert "Upload an export" in texts(at)  # nothing was opened


def test_staff_hours_are_entered_per_month_for_a_file_without_them() -> None:
    at = with_file("ads.csv", EXPORT)  # January and February, spend 10 and 20, no hours
    assert not any("hours" in d.value.columns for d in at.dataframe)  # folded: no grid drawn
    at = open_details(at)
    scenario = scenario_from_dict(at.session_state["draft"])
    hours, rate = scenario.investment.staff_hours, scenario.investment.hourly_rate
    assert hours > 0 and rate > 0
    editor = table_with(at, "hours")
    assert editor["month"].tolist() == ["2025-01", "2025-02"]
    assert editor["hours"].tolist() == [hours, hours]
    investment = next(m.value for m in at.metric if m.label == "Investment")
    assert investment == f"€{30 + 2 * hours * rate:,.0f}"
    at.session_state["history_hours"] = {99: {pd.Timestamp("2025-01-01"): 10.0}}
    at.run()
    assert table_with(at, "hours")["hours"].tolist() == [10.0, hours]


def test_estimates_say_how_they_were_made_and_what_the_history_cannot_back() -> None:
    at = with_sample(language="es")
    table = table_with(at, "Tomar")
    cpm = table[table["Supuesto"] == "CPM"].iloc[0]
    assert cpm["Cómo"] in {"recta del CPM frente al gasto", "cociente de las sumas mensuales"}
    assert " a " in cpm["Probablemente entre"] and "€" in cpm["Probablemente entre"]
    kept = next(e for e in at.expander if e.label.startswith("No están en tu historial"))
    assert "supuestos se quedan como están" in kept.label
    assert "el archivo no trae esa columna" in "\n".join(m.value for m in kept.markdown)


def test_every_calibration_note_has_words() -> None:
    from pages._ui.i18n import has_text
    from roi_model.model.calibrate import NOTES

    assert all(has_text(f"history.basis.{note}") for note in NOTES)


def test_a_client_deleted_in_another_tab_is_said_and_nothing_is_lost(
    private_scenario_store: Path,
) -> None:
    with_client(private_scenario_store, "Acme")
    at = history_page()
    with ScenarioStore(private_scenario_store) as store:  # another tab deletes the client
        store.delete_client(store.clients()[0].id)
    at.session_state[SOURCE] = ("ads.csv", EXPORT)
    at.session_state["history_source_version"] = 5
    at.run()
    assert not at.exception
    assert "Not kept: create or pick a client" in texts(at)
    assert [m.value for m in at.metric][:2] == ["2", "0"]  # the file is still read and shown


def test_with_a_damaged_database_the_page_still_reads_files(private_scenario_store: Path) -> None:
    private_scenario_store.write_bytes(b"not a database at all" * 10)
    at = with_file("ads.csv", EXPORT)
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["2", "0"]
    assert private_scenario_store.read_bytes() == b"not a database at all" * 10
    assert any("none can be kept" in w.value for w in at.warning)


def test_dates_the_file_cannot_settle_are_asked_and_the_answer_kept(
    private_scenario_store: Path,
) -> None:
    with_client(private_scenario_store, "Acme")
    data = b"date,channel,spend\n01/03/2025,Facebook,10\n02/03/2025,Facebook,20\n"
    at = with_file("ads.csv", data)
    order = at.radio(key="history_date_order_pick")
    assert (order.value, order.label) == ("mdy", "How should dates like 01/03/2025 be read?")
    assert "Dates: 2025-01-03 → 2025-02-03" in texts(at)
    order.set_value("dmy").run()
    assert not at.exception
    assert "Dates: 2025-03-01 → 2025-03-02" in texts(at)
    assert "were read as day/month/year, as you chose" in texts(open_details(at))
    (stored,) = kept(private_scenario_store)
    assert stored.date_order == "dmy"
    later = history_page()
    later.button(key=f"history_open_{stored.summary.id}").click().run()
    assert later.radio(key="history_date_order_pick").value == "dmy"
    assert "Dates: 2025-03-01 → 2025-03-02" in texts(later)


def test_a_file_with_clear_dates_asks_nothing() -> None:
    at = with_file("ads.csv", EXPORT)
    assert not [r for r in at.radio if r.key == "history_date_order_pick"]


def test_staff_hours_entered_are_kept_with_the_history(private_scenario_store: Path) -> None:
    with_client(private_scenario_store, "Acme")
    at = with_file("ads.csv", EXPORT)
    at.session_state["history_hours"] = {
        99: {pd.Timestamp("2025-01-01"): 10.0, pd.Timestamp("2025-02-01"): 5.0}
    }
    at.run()
    (stored,) = kept(private_scenario_store)
    assert stored.hours == {"2025-01": 10.0, "2025-02": 5.0}
    later = history_page()
    later.button(key=f"history_open_{stored.summary.id}").click().run()
    assert table_with(open_details(later), "hours")["hours"].tolist() == [10.0, 5.0]


FIXTURES = ROOT / "tests" / "fixtures" / "imports"


def test_a_display_export_with_month_and_day_apart_is_read_on_the_page() -> None:
    """15,000 rows whose day column the fast path types as a categorical (it once crashed)."""
    at = with_file("display.csv", (FIXTURES / "display_ads_month_day.csv").read_bytes())
    assert [m.value for m in at.metric][:2] == ["15,000", "0"]
    assert "2026-04-01 → 2026-06-30" in texts(at) or "2025-04-01 → 2025-06-30" in texts(at)
    warning = "\n".join(str(w.value) for w in at.warning)
    assert 'Not used: "post_click_sales_amount" (numbers)' in warning
    assert table_with(at, "Full-value ROI") is not None


def test_a_file_without_spend_says_so_outside_the_folded_details_in_spanish() -> None:
    at = history_page(language="es")
    at.session_state[SOURCE] = ("fb.csv", (FIXTURES / "facebook_ads_kag.csv").read_bytes())
    at.session_state["history_source_version"] = 5
    at.run()
    assert not at.exception
    warning = "\n".join(str(w.value) for w in at.warning)
    assert 'Sin usar: "ad_id", "fb_campaign_id", "interest" (números)' in warning
    mapping = table_with(at, "field")
    marked = mapping.loc[mapping["holds"] != "", "column"].tolist()
    assert marked == ["ad_id", "fb_campaign_id", "interest"]
    assert set(mapping.loc[mapping["holds"] != "", "holds"]) == {"Números, sin usar"}
    at.session_state[MAPPING] = {"Spent": ""}  # the spend ignored: no ROI can be built on it
    at.run()
    warning = "\n".join(str(w.value) for w in at.warning)
    assert "ninguna columna de gasto" in warning and '"Spent"' not in warning  # ignored by choice


def test_results_of_several_types_are_explained_in_spanish() -> None:
    at = history_page(language="es")
    at.session_state[SOURCE] = ("meta.csv", (FIXTURES / "meta_es_result_types.csv").read_bytes())
    at.session_state["history_source_version"] = 6
    at.run()
    assert not at.exception
    said = texts(at)
    assert "«Resultados»: 30 filas del tipo «actions:lead» se han leído como Leads." in said
    assert "ninguno de nuestros campos es ese resultado" in said


def test_every_import_note_has_words() -> None:
    from pages._ui.i18n import has_text
    from roi_model.files.imports import NoteCode

    assert all(has_text(f"history.note.{code}") for code in NoteCode)


@pytest.mark.parametrize(("region", "bound"), [("es_ES", "2.000"), ("es_MX", "2,000")])
def test_a_file_too_wide_is_refused_naming_the_bound_in_the_locales_numbers(
    region: str, bound: str
) -> None:
    at = history_page(language="es")
    at.selectbox(key="region_es").set_value(region).run()
    wide = (",".join(f"c{i}" for i in range(2_001)) + "\n" + ",".join("1" * 2_001) + "\n").encode()
    at.session_state[SOURCE] = ("ancho.csv", wide)
    at.session_state["history_source_version"] = 11
    at.run()
    assert not at.exception
    assert f"ancho.csv tiene más de {bound} columnas." in texts(at)
