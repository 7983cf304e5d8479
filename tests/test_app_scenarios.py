"""AppTest: saving, autosave, sharing, the Scenarios page and the Compare page.

Each test has a database of its own (``private_scenario_store`` in conftest); a second session
is simulated by a second AppTest or by writing to the store directly, as another tab would.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.app import storage
from pages._ui.app.draft_writer import wait_for_writes
from pages._ui.widgets.saving import NEW_CLIENT
from roi_model import Investment, Scenario
from roi_model.files.assumptions import (
    assumption_sources,
    load_benchmarks,
    load_channel_defaults,
    load_presets,
)
from roi_model.files.bundle import scenarios_zip
from roi_model.files.scenario_file import scenario_from_dict
from roi_model.files.share import LINK_PARAM, LINK_VERSION, encode_scenario
from roi_model.store import ScenarioStore, StoreError, StoreProblem
from tests.html_figures import figure_value, shown_figures
from tests.html_tables import tables_in

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def app(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def texts(at: AppTest) -> str:
    """Everything the page says in captions, markdown and notices, as one string."""
    parts = [e.value for e in (*at.caption, *at.markdown, *at.info, *at.success, *at.error)]
    parts += [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


class _TableCells(HTMLParser):
    """The text of each table row's cells, as a person reads them (entities decoded), and
    each cell's class names."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, list[str]]]] = []
        self._cell: list[str] | None = None
        self._classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
            self._classes = (dict(attrs).get("class") or "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell).strip(), self._classes))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def chosen_base(at: AppTest) -> int:
    """The index of the base chosen in the Compare page's base control."""
    picked = list(at.multiselect(key="compare_picked").value)  # the control's options
    return picked.index(at.segmented_control(key="compare_base").value)


def comparison_rows(at: AppTest) -> list[list[str]]:
    """The side-by-side table as shown for the chosen base: a header row (the corner, then
    the columns), then each metric. The table holds every base's differences; the page's CSS
    shows the chosen base's cells (those of no base, or of its class) and marks its column ★.
    """
    tables = [h.proto.body for h in at.html if 'class="comparison"' in h.proto.body]
    assert len(tables) == 1, "one side-by-side table"
    parser = _TableCells()
    parser.feed(tables[0])
    base = chosen_base(at)
    return [
        [
            f"★ {text}" if f"scenario-{base}" in classes else text
            for text, classes in row
            if "for-base" not in classes or f"for-base-{base}" in classes
        ]
        for row in parser.rows
    ]


def shown_chances(at: AppTest) -> str:
    """The Compare page's line of chances to beat the chosen base (one is drawn per base)."""
    body = next(h.proto.body for h in at.html if 'class="chances' in h.proto.body)
    found = re.search(rf'<p class="chances for-base for-base-{chosen_base(at)}">(.*?)</p>', body)
    assert found, "a line of chances for the chosen base"
    return html.unescape(found.group(1))


def shown_changes(at: AppTest) -> list[pd.DataFrame]:
    """What changed as shown for the chosen base: its sections' tables (each section is
    drawn for every base, marked with its base's class)."""
    body = next(h.proto.body for h in at.html if "folded-table" in h.proto.body)
    mark = f'class="folded-table for-base for-base-{chosen_base(at)}"'
    sections = re.findall(rf"<details {mark} open>(.*?)</details>", body, flags=re.S)
    return [table for section in sections for table in tables_in(section)]


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def save_as(at: AppTest, client: str, name: str, *, new_client: bool = True) -> AppTest:
    """Save as ``name`` into a new client ``client``, or into the existing one of that name."""
    at = open_popover(at, "save_as_popover")
    picker = at.selectbox(key="save_as_client_en")
    if new_client:
        picker.set_value(NEW_CLIENT)
        at.text_input(key="save_as_new_client").set_value(client)
    else:
        picker.select_index(list(picker.options).index(client))
    at.text_input(key="save_as_name").set_value(name)
    return at.button(key="save_as_submit").click().run()


def open_popover(at: AppTest, key: str) -> AppTest:
    """What a click on a popover's (or lazy expander's) button does: its content is drawn
    only while open."""
    at.session_state[key] = True
    return at.run()


def state_sources(at: AppTest) -> pd.DataFrame:
    """Where each figure of the tab's draft comes from, as the page works it out."""
    data = ROOT / "sample_data"
    preset = load_presets(data / "presets").get(at.session_state["preset"])
    return assumption_sources(
        scenario_from_dict(at.session_state["draft"]),
        preset,
        load_channel_defaults(data / "channel_defaults.csv"),
        load_benchmarks(data / "channel_benchmarks.csv"),
    ).set_index("path")


def store_at(path: Path) -> ScenarioStore:
    return ScenarioStore(path)


def save_meanwhile_saved_elsewhere(store_path: Path) -> AppTest:
    """Save "Plan", let another tab save it in USD, then change the budget and press Save."""
    at = save_as(app(), "Acme", "Plan")
    with store_at(store_path) as other_tab:
        summary, scenario = other_tab.load(other_tab.scenarios()[0].id)
        other_tab.save(summary.id, replace(scenario, currency="USD"), summary.version)
    at.slider(key="ad_budget").set_value(9000.0).run()
    return at.button(key="save_scenario").click().run()


class TestSaving:
    def test_a_new_scenario_is_not_saved(self) -> None:
        at = app()
        assert not at.exception
        assert "Not saved yet" in texts(at)
        assert at.button(key="save_scenario").disabled

    def test_save_as_creates_client_and_scenario(self, private_scenario_store: Path) -> None:
        at = save_as(app(), "Clínica Sonrisas", "Hoy")
        assert not at.exception
        assert "Saved “Hoy” (version 1)." in texts(at)
        assert "Clínica Sonrisas › Hoy" in texts(at)
        with store_at(private_scenario_store) as store:
            (summary,) = store.scenarios()
            assert (summary.client_name, summary.name, summary.version) == (
                "Clínica Sonrisas",
                "Hoy",
                1,
            )

    def test_a_change_then_save_makes_version_two(self, private_scenario_store: Path) -> None:
        at = save_as(app(), "Acme", "Plan")
        at.slider(key="ad_budget").set_value(9000.0).run()
        assert "Unsaved changes" in texts(at)
        at.button(key="save_scenario").click().run()
        assert "Saved “Plan” (version 2)." in texts(at)
        with store_at(private_scenario_store) as store:
            summary, scenario = store.load(store.scenarios()[0].id)
            assert summary.version == 2
            assert scenario.investment.ad_budget == 9000.0

    def test_a_save_from_another_tab_is_not_overwritten_silently(
        self, private_scenario_store: Path
    ) -> None:
        at = save_meanwhile_saved_elsewhere(private_scenario_store)
        assert "was saved elsewhere" in texts(at)
        at.button(key="conflict_keep_both").click().run()
        assert not at.exception
        with store_at(private_scenario_store) as store:
            names = sorted(s.name for s in store.scenarios())
            assert names == ["Plan", "Plan (my version)"]
            theirs = store.load(next(s.id for s in store.scenarios() if s.name == "Plan"))[1]
            assert theirs.currency == "USD"  # the other tab's save survived

    def test_overwrite_keeps_the_other_version_in_history(
        self, private_scenario_store: Path
    ) -> None:
        at = save_meanwhile_saved_elsewhere(private_scenario_store)
        at.button(key="conflict_overwrite").click().run()
        with store_at(private_scenario_store) as store:
            sid = store.scenarios()[0].id
            versions = store.history(sid)
            assert [v.version for v in versions] == [3, 2, 1]
            assert versions[1].scenario.currency == "USD"
            assert versions[0].scenario.investment.ad_budget == 9000.0


class TestStoreLocation:
    def test_a_streamlit_secret_places_the_database(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("ROI_EXPLORER_DB")
        path = tmp_path / "from-secret.sqlite3"
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        at.secrets["database_path"] = str(path)
        save_as(at.run(), "Acme", "Plan")
        with store_at(path) as store:
            assert [s.name for s in store.scenarios()] == ["Plan"]

    def test_the_settings_are_read_once_per_session(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Where the store is and whether everyone signs in do not change under a session: a
        slider press does not search for a secrets file again (each search is ~0.4 ms)."""
        reads: list[str] = []
        for name in ("_configured_db_path", "_configured_team_mode"):
            original = getattr(storage, name)

            def counted(original: Any = original, name: str = name) -> Any:
                reads.append(name)
                return original()

            monkeypatch.setattr(storage, name, counted)
        at = app()
        for budget in (9000.0, 9500.0, 10000.0):
            at.slider(key="ad_budget").set_value(budget).run()
        assert not at.exception
        assert sorted(reads) == ["_configured_db_path", "_configured_team_mode"]
        app()  # a new session reads them again
        assert len(reads) == 4


class TestAutosave:
    def test_a_refresh_finds_the_draft_again(self) -> None:
        first = app()
        first.slider(key="ad_budget").set_value(12000.0).run()
        token = first.query_params["session"]
        assert token
        again = app(session=str(token))  # a refresh: new session, same URL
        assert again.slider(key="ad_budget").value == 12000.0
        assert not again.exception

    @pytest.mark.parametrize(
        ("page", "key", "value", "path"),
        [
            ("pages/7_Meeting.py", "meeting_ad_budget", 9000.0, ("investment", "ad_budget")),
            ("pages/8_Months_ahead.py", "months_horizon", 30, ("months", "horizon")),
        ],
        ids=["meeting", "months"],
    )
    def test_a_change_on_the_meeting_or_months_page_is_found_by_a_refresh(
        self, page: str, key: str, value: float, path: tuple[str, str]
    ) -> None:
        """A slider of a panel that reruns alone keeps the draft too: a refresh finds it."""
        first = app()
        first.switch_page(page).run()
        first.slider(key=key).set_value(value).run()
        assert not first.exception
        again = app(session=str(first.query_params["session"]))
        group, name = path
        assert again.session_state["draft"][group][name] == value

    def test_a_refresh_remembers_the_preset_the_draft_started_from(self) -> None:
        first = app()
        first.selectbox(key="preset_picker").set_value("dental_clinic").run()
        first.button(key="load_preset").click().run()
        first.slider(key="ad_budget").set_value(900.0).run()
        again = app(session=str(first.query_params["session"]))
        assert again.selectbox(key="preset_picker").value == "dental_clinic"
        sources = state_sources(again)
        assert sources.loc["investment.ad_budget", "origin"] == "user"
        assert sources.loc["investment.hourly_rate", "origin"] == "preset"

    def test_a_busy_database_is_said_and_the_draft_kept(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def busy(*_: object) -> None:
            raise StoreError(StoreProblem.BUSY, "locked")

        at = app()
        writes = ScenarioStore.autosave
        monkeypatch.setattr(ScenarioStore, "autosave", busy)
        at.slider(key="ad_budget").set_value(12000.0).run()
        assert not at.exception
        assert wait_for_writes()
        at.run()  # the draft is written while the page is drawn: known on the next run
        assert "was not autosaved" in texts(at)
        assert at.slider(key="ad_budget").value == 12000.0
        monkeypatch.setattr(ScenarioStore, "autosave", writes)
        assert wait_for_writes()
        at.run()  # tried once more on that run: the store is back, the warning goes
        assert wait_for_writes()
        at.run()
        assert "was not autosaved" not in texts(at)

    def test_a_tab_opened_without_its_token_restores_the_newest_work(self) -> None:
        first = app()
        first.slider(key="ad_budget").set_value(12000.0).run()
        fresh = app()
        assert fresh.slider(key="ad_budget").value == 12000.0
        assert "Restored your unsaved work" in texts(fresh)
        assert fresh.query_params["session"] != first.query_params["session"]


class TestSharedLinks:
    def test_a_link_opens_its_scenario_unsaved(self, example_scenario: Scenario) -> None:
        shared = replace(example_scenario, name="Enviado", investment=Investment(ad_budget=777))
        at = app(**{LINK_PARAM: encode_scenario(shared)})
        assert not at.exception
        assert "Opened the shared scenario “Enviado”" in texts(at)
        assert at.slider(key="ad_budget").value == 777.0
        assert LINK_PARAM not in at.query_params  # a refresh does not reopen it

    def test_a_tampered_link_is_refused_and_the_app_starts(
        self, example_scenario: Scenario
    ) -> None:
        token = encode_scenario(example_scenario)
        at = app(**{LINK_PARAM: token[:-6] + "AAAAAA"})
        assert not at.exception
        assert "The shared link was not opened" in texts(at)
        assert figure_value(at, "investment") == "€7,900"  # the default preset instead

    def test_opening_a_link_leaves_stored_scenarios_alone(
        self, private_scenario_store: Path, example_scenario: Scenario
    ) -> None:
        save_as(app(), "Acme", "Plan")
        with store_at(private_scenario_store) as store:
            kept = store.load(store.scenarios()[0].id)
        app(**{LINK_PARAM: encode_scenario(replace(example_scenario, name="Plan"))})
        with store_at(private_scenario_store) as store:
            assert [s.name for s in store.scenarios()] == ["Plan"]
            assert store.load(kept[0].id) == kept
            assert [v.version for v in store.history(kept[0].id)] == [1]

    def test_the_share_popover_shows_a_link_that_decodes(self) -> None:
        at = open_popover(app(), "share_popover")
        (code,) = [c for c in at.code if "?s=" in c.value or "&s=" in c.value]
        query = parse_qs(urlsplit(code.value).query)
        assert query[LINK_PARAM][0].startswith(f"{LINK_VERSION}.")

    def test_the_link_carries_the_language_and_the_number_format(self) -> None:
        at = app(lang="es", locale="es_MX")
        at.selectbox(key="language").set_value("es").run()
        at = open_popover(at, "share_popover")
        (code,) = [c for c in at.code if "&s=" in c.value]
        query = parse_qs(urlsplit(code.value).query)
        assert (query["lang"], query["locale"]) == (["es"], ["es_MX"])

    def test_a_link_opens_in_the_language_and_number_format_it_names(
        self, example_scenario: Scenario
    ) -> None:
        shared = replace(example_scenario, name="Enviado", investment=Investment(ad_budget=1777))
        at = app(**{LINK_PARAM: encode_scenario(shared), "lang": "es", "locale": "es_MX"})
        assert not at.exception
        assert at.selectbox(key="language").value == "es"
        assert at.selectbox(key="region_es").value == "es_MX"
        assert "Abierto el escenario compartido «Enviado»" in texts(at)
        # euros as Mexico writes them: EUR8,777
        assert figure_value(at, "investment").startswith("EUR")

    def test_a_refresh_keeps_the_language(self) -> None:
        first = app(lang="pt", locale="pt_PT")
        assert (first.query_params["lang"], first.query_params["locale"]) == ("pt", "pt_PT")
        again = app(**{k: str(v) for k, v in first.query_params.items()})
        assert again.selectbox(key="language").value == "pt"


class TestBrokenStore:
    @pytest.mark.parametrize("content", [b"not a database at all" * 50, b"\x00\xff" * 3000])
    def test_a_corrupt_database_is_reported_and_never_written(
        self, private_scenario_store: Path, content: bytes
    ) -> None:
        private_scenario_store.write_bytes(content)
        at = app()
        assert not at.exception
        assert "cannot be read" in texts(at)
        at.slider(key="ad_budget").set_value(9000.0).run()
        at.switch_page("pages/2_Scenarios.py").run()
        assert not at.exception
        assert "has not been changed" in texts(at)
        assert private_scenario_store.read_bytes() == content


def scenarios_page() -> AppTest:
    at = app()
    return at.switch_page("pages/2_Scenarios.py").run()


class TestScenariosPage:
    def test_without_clients_it_offers_to_create_one(self) -> None:
        at = scenarios_page()
        assert not at.exception
        assert "No clients yet" in texts(at)
        at.text_input(key="new_client_name").set_value("Acme")
        at.button(key="new_client_submit").click().run()
        assert at.selectbox(key="client_pick").value is not None

    def test_lists_and_manages_a_clients_scenarios(self, private_scenario_store: Path) -> None:
        at = save_as(app(), "Acme", "Plan")
        at.switch_page("pages/2_Scenarios.py").run()
        assert not at.exception
        assert at.dataframe[0].value.iloc[0, 0] == "Plan"
        at.button(key="duplicate_scenario").click().run()
        with store_at(private_scenario_store) as store:
            assert sorted(s.name for s in store.scenarios()) == ["Plan", "Plan (copy)"]
        at.button(key="delete_scenario").click().run()
        assert "deleted" in texts(at)
        at.button(key="undo_delete_button").click().run()
        with store_at(private_scenario_store) as store:
            assert len(store.scenarios()) == 2

    def test_deleting_a_client_can_be_undone(self, private_scenario_store: Path) -> None:
        at = save_as(app(), "Acme", "Plan")
        at.switch_page("pages/2_Scenarios.py").run()
        at.button(key="delete_client").click().run()
        assert "No clients yet" in texts(at)
        at.button(key="undo_delete_button").click().run()
        assert not at.exception
        with store_at(private_scenario_store) as store:
            assert [c.name for c in store.clients()] == ["Acme"]
            assert len(store.scenarios()) == 1

    def test_a_name_taken_is_refused_with_a_message(self) -> None:
        at = save_as(app(), "Acme", "Plan")
        at = save_as(at, "Acme", "Other")  # creating "Acme" again is refused
        assert "already used" in texts(at)
        assert not at.exception

    def test_import_adds_good_files_and_refuses_bad_ones(
        self, private_scenario_store: Path, example_dict: dict[str, Any], clinic_scenario: Scenario
    ) -> None:
        at = save_as(app(), "Acme", "Plan")
        at.switch_page("pages/2_Scenarios.py").run()
        with store_at(private_scenario_store) as store:
            kept = store.load(store.scenarios()[0].id)
        future = example_dict | {"schema_version": 99}
        files = [
            ("good.json", json.dumps(example_dict).encode(), "application/json"),
            ("future.json", json.dumps(future).encode(), "application/json"),
            ("client.zip", scenarios_zip([clinic_scenario, kept[1]]), "application/zip"),
        ]
        at.file_uploader(key="import_files_0").set_value(files).run()
        at.button(key="import_button").click().run()
        assert not at.exception
        assert "Imported 3 scenarios" in texts(at)
        assert "Not imported, future.json" in texts(at)
        with store_at(private_scenario_store) as store:
            names = sorted(s.name for s in store.scenarios())
            assert names == sorted(["Plan", "Plan (2)", "Tienda online", clinic_scenario.name])
            assert store.load(kept[0].id) == kept  # nothing stored was touched

    def test_an_overwritten_version_can_be_opened_and_saved_again(
        self, private_scenario_store: Path
    ) -> None:
        at = save_as(app(), "Acme", "Plan")  # version 1: budget 5,000
        at.slider(key="ad_budget").set_value(9000.0).run()
        at.button(key="save_scenario").click().run()  # version 2: budget 9,000
        at.switch_page("pages/2_Scenarios.py").run()
        at = open_popover(at, "history_panel")
        assert list(at.dataframe[1].value.iloc[:, 0]) == [2, 1]
        at.selectbox(key="version_pick").set_value(1)
        at.button(key="open_version").click().run()
        assert not at.exception
        assert at.slider(key="ad_budget").value == 5000.0
        assert "Unsaved changes" in texts(at)
        at.switch_page("app.py")  # AppTest would rerun the page it was sent to, not the cockpit
        at.button(key="save_scenario").click().run()
        with store_at(private_scenario_store) as store:
            versions = store.history(store.scenarios()[0].id)
            assert [v.version for v in versions] == [3, 2, 1]
            assert versions[0].scenario.investment.ad_budget == 5000.0

    def test_open_in_cockpit_loads_the_stored_scenario(self, private_scenario_store: Path) -> None:
        at = save_as(app(), "Acme", "Plan")
        at.slider(key="ad_budget").set_value(100.0).run()
        at.switch_page("pages/2_Scenarios.py").run()
        at.button(key="open_scenario").click().run()
        assert not at.exception
        assert at.slider(key="ad_budget").value == 5000.0
        assert "Saved" in texts(at)


def compare_page(at: AppTest | None = None) -> AppTest:
    at = at or app()
    return at.switch_page("pages/3_Compare.py").run()


class TestComparePage:
    def test_starts_with_the_draft_and_its_preset(self) -> None:
        at = compare_page()
        assert not at.exception
        assert len(at.multiselect(key="compare_picked").value) == 2
        header, *metrics = comparison_rows(at)
        assert header[0] == "Metric" and len(header) == 4  # base, other, Δ other
        assert header[1].startswith("★ ")  # the base is marked
        assert [row[0] for row in metrics][:2] == ["Investment", "· ad spend"]

    def test_a_change_shows_in_what_changed_and_the_differences(self) -> None:
        at = app()
        at.slider(key="ad_budget").set_value(10000.0).run()
        at = compare_page(at)
        cells = [cell for row in comparison_rows(at) for cell in row]
        assert "-€5,000 (-38.8%)" in cells  # the preset against the draft
        (changes,) = shown_changes(at)
        assert list(changes.loc["Ad budget"]) == ["10,000", "5,000"]

    def test_a_change_of_base_shows_its_differences_from_the_html_already_drawn(self) -> None:
        at = app()
        at.slider(key="ad_budget").set_value(10000.0).run()
        at = compare_page(at)
        drawn = [h.proto.body for h in at.html]
        _draft, preset = at.multiselect(key="compare_picked").value
        at.segmented_control(key="compare_base").set_value(preset).run()
        assert not at.exception
        assert [h.proto.body for h in at.html] == drawn  # every base's, drawn once
        header, *metrics = comparison_rows(at)
        assert header[1:] == [
            "Being edited: Tienda online",
            "Δ Being edited: Tienda online",
            "★ Preset · Tienda online",
        ]
        cells = [cell for row in metrics for cell in row]
        assert any(cell.startswith("+€5,000 (+") for cell in cells)  # the draft against it
        (changes,) = shown_changes(at)
        assert list(changes.loc["Ad budget"]) == ["5,000", "10,000"]  # the draft against it

    def test_fewer_than_two_asks_for_more(self) -> None:
        at = compare_page()
        at.multiselect(key="compare_picked").set_value(["draft"]).run()
        assert "Pick at least two" in texts(at)

    def test_six_scenarios_compare_without_error(self, private_scenario_store: Path) -> None:
        at = save_as(save_as(app(), "Acme", "Plan"), "Acme", "Plan B", new_client=False)
        options = at.switch_page("pages/3_Compare.py").run().multiselect(key="compare_picked")
        choice = list(options.options)[:6]
        at.multiselect(key="compare_picked").set_value(choice).run()
        assert not at.exception
        header = comparison_rows(at)[0]
        assert len(header) == 12  # the metric, the base, and 5 × (value, Δ)

    def test_a_scenario_name_is_shown_as_written_never_as_markup(self) -> None:
        name = "<b>Bold</b> & <script>x()</script>"
        at = save_as(app(), "Acme", name)
        at = compare_page(at)
        stored = next(k for k in at.multiselect(key="compare_picked").options if "Acme" in k)
        at.multiselect(key="compare_picked").set_value(["draft", stored]).run()
        header = comparison_rows(at)[0]
        assert f"Acme · {name}" in header
        body = next(h.proto.body for h in at.html if 'class="comparison"' in h.proto.body)
        assert "<script>" not in body and "<b>" not in body
        changes = next(h.proto.body for h in at.html if "folded-table" in h.proto.body)
        assert "<script>" not in changes and "&lt;b&gt;Bold&lt;/b&gt;" in changes

    def test_better_and_worse_differences_are_coloured(self) -> None:
        at = app()
        at.slider(key="ad_budget").set_value(10000.0).run()  # more spend: the preset costs less
        body = next(h.proto.body for h in compare_page(at).html if "comparison" in h.proto.body)
        assert re.search(r'<td class="for-base for-base-0 better">', body)  # each verdict's,
        assert re.search(r'<td class="for-base for-base-0 worse">', body)  # against the base
        assert "td.better { color: #1a7f37; }" in body and "td.worse { color: #cf222e; }" in body

    def test_edit_makes_a_preset_the_scenario_being_edited(self) -> None:
        at = compare_page()
        keys = at.multiselect(key="compare_picked").value
        preset_key = next(k for k in keys if str(k).startswith("preset:"))
        at.button(key=f"edit_{preset_key}").click().run()
        assert not at.exception
        assert shown_figures(at), "the cockpit is shown after Edit"

    def test_spanish_compare_page(self) -> None:
        at = app()
        at.selectbox(key="language").set_value("es").run()
        at = compare_page(at)
        assert not at.exception
        assert at.title[0].value == "Comparar escenarios"


def test_with_ranges_the_compare_page_gives_each_scenarios_chance_to_beat_the_base() -> None:
    at = app()
    draft = json.loads(json.dumps(at.session_state["draft"]))
    draft["investment"]["ad_budget"] = 9000.0
    draft["uncertainty"] = [{"input": "values.order_value", "low": 40.0, "high": 300.0}]
    at.session_state["draft"] = draft
    at = compare_page(at.run())
    assert not at.exception
    said = shown_chances(at)
    assert "the chance each beats the base's full-value ROI" in said
    bands = next(d.value for d in at.dataframe if "Full-value ROI above 0" in d.value.columns)
    assert len(bands) == 2 and bands.iloc[0, 1].count("%") == 2  # "12.0% to 48.3%"
    assert re.search(r"\(on the same draws\): .+ \d+%", said)
