"""The Streamlit-side helpers that need no browser: translations, formatting, chart specs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from string import Formatter

import pandas as pd
import pytest
import streamlit as st

from pages._ui import fmt
from pages._ui.charts import charts
from pages._ui.charts.bars import panel_rows
from pages._ui.i18n import LANGUAGE_KEY, LOCALE_KEY, browser_choice, error_message, has_text, t
from pages._ui.widgets.html_table import marked_table_html
from roi_model import Rule, ScenarioError, evaluate
from roi_model.files.scenario_file import load_scenario
from roi_model.model.tables import return_waterfall
from tests.catalogs import text

ROOT = Path(__file__).resolve().parents[1]
PRESET = ROOT / "sample_data" / "presets" / "online_shop.json"


@pytest.fixture(autouse=True)
def forget_language() -> Iterator[None]:
    """Outside a script run session state is process-wide: leave no language behind for the
    AppTest tests that follow (AppTest formats options outside the script run)."""
    yield
    st.session_state.pop(LANGUAGE_KEY, None)
    st.session_state.pop(LOCALE_KEY, None)


@pytest.fixture
def spanish() -> None:
    st.session_state[LANGUAGE_KEY] = "es"


@pytest.fixture
def english() -> None:
    st.session_state[LANGUAGE_KEY] = "en"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


class TestCatalog:
    def test_every_model_rule_has_a_message(self) -> None:
        assert all(has_text(f"rule.{rule.value}") for rule in Rule)


class TestTranslate:
    def test_spanish(self, spanish: None) -> None:
        assert t("kpi.investment") == "Inversión"

    def test_english_with_values(self, english: None) -> None:
        assert t("sidebar.loaded", name="X") == "Loaded “X”."

    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("es-ES", ("es", "es_ES")),
            ("es-MX", ("es", "es_MX")),
            ("es-PE", ("es", "es_PE")),
            ("es-VE", ("es", "es_ES")),
            ("es", ("es", "es_ES")),
            ("pt-BR", ("pt", "pt_BR")),
            ("pt-PT", ("pt", "pt_PT")),
            ("pt", ("pt", "pt_BR")),
            ("gl-ES", ("gl", "gl_ES")),
            ("en-GB", ("en", "en_GB")),
            ("en-US", ("en", "en_US")),
            ("fr-FR", ("en", "en_US")),
            ("", ("en", "en_US")),
            ("xx-!!", ("en", "en_US")),
            (None, ("en", "en_US")),
        ],
        ids=str,
    )
    def test_browser_choice(self, locale: str | None, expected: tuple[str, str]) -> None:
        assert browser_choice(locale) == expected

    def test_error_message_names_the_channel(self, spanish: None) -> None:
        error = ScenarioError("channels[1].cpm", 0.0, Rule.CPM_WITH_SPEND)
        message = error_message(error, ("Facebook", "Instagram"))
        assert message.startswith("Instagram · CPM:")
        assert "mayor que 0" in message


class TestFormatting:
    @pytest.mark.parametrize(
        ("lang", "value", "currency", "expected"),
        [
            ("en", 7900.0, "EUR", "€7,900"),
            ("es", 7900.0, "EUR", "7.900\xa0€"),
            ("en", 35.917, "USD", "$35.92"),
            ("es", 35.917, "EUR", "35,92\xa0€"),
            ("en", 1500.0, "GBP", "£1,500"),
            ("es", 50.0, "CLP", "50\xa0CLP"),
        ],
        ids=["en-eur", "es-eur", "en-usd-cents", "es-eur-cents", "en-gbp", "es-clp-no-cents"],
    )
    def test_money(self, lang: str, value: float, currency: str, expected: str) -> None:
        st.session_state[LANGUAGE_KEY] = lang
        assert fmt.money(value, currency) == expected

    @pytest.mark.parametrize(
        "value", [None, float("nan"), float("inf")], ids=["none", "nan", "inf"]
    )
    def test_undefined_is_a_dash(self, value: float | None, english: None) -> None:
        assert fmt.money(value, "EUR") == fmt.percent(value) == fmt.ratio(value) == "—"

    def test_percent_in_spanish(self, spanish: None) -> None:
        assert fmt.percent(-0.3641) == "-36,4\xa0%"

    @pytest.mark.parametrize(
        ("lang", "size", "expected"),
        [
            ("en", 102_345_678, "102.3 MB"),
            ("es", 102_345_678, "102,3 MB"),
            ("en", 12_400, "12 kB"),
            ("es", 40, "1 kB"),
            ("es", 2_000_000, "2 MB"),
        ],
    )
    def test_file_size(self, lang: str, size: int, expected: str) -> None:
        st.session_state[LANGUAGE_KEY] = lang
        assert fmt.file_size(size) == expected

    def test_float_noise_around_zero_shows_no_minus(self, english: None) -> None:
        assert fmt.money(-1e-9, "EUR") == "€0.00"
        assert fmt.money(-0.004, "EUR") == "€0.00"
        assert fmt.money(-0.006, "EUR") == "-€0.01"
        assert fmt.percent(-1e-12) == "0.0%"
        assert fmt.signed(fmt.money(-1e-9, "EUR"), -1e-9) == "€0.00"


class TestCharts:
    @pytest.fixture
    def steps(self) -> object:
        ev = evaluate(load_scenario(PRESET))
        steps = return_waterfall(ev)
        return steps.assign(label=steps["step"], shown=steps["amount"].astype(str))

    def test_spec_carries_no_data_so_each_rerun_sends_its_own(self) -> None:
        spec = charts.spec(charts.waterfall_chart("Amount"))
        assert "data" not in spec and "datasets" not in spec
        assert all("data" not in layer for layer in spec["layer"])

    def test_net_bar_is_coloured_by_its_sign(self, steps: object) -> None:
        data = charts.waterfall_data(steps)  # type: ignore[arg-type]
        net = data[data["kind"] == "net"].iloc[0]
        assert net["colour"] == ("net_positive" if net["end"] >= 0 else "net_negative")
        assert (data["top"] >= data[["start", "end"]].min(axis=1)).all()

    def test_funnel_spec_uses_a_log_like_scale(self) -> None:
        spec = charts.spec(charts.funnel_chart("Count"))
        assert spec["encoding"]["y"]["scale"]["type"] == "symlog"


def test_every_plan_suggestion_key_has_words() -> None:
    """The model suggests plans as keys; each must read as words in both languages."""
    from roi_model.model.plan import KPI_KEYS, METRIC_KEYS, TACTIC_KEYS, TOOL_KEYS, ProblemKind
    from roi_model.model.spec import Cadence

    groups = {
        "kpi": KPI_KEYS,
        "tactic": TACTIC_KEYS,
        "metric": METRIC_KEYS,
        "tool": TOOL_KEYS,
        "cadence": tuple(c.value for c in Cadence),
        "problem": tuple(k.value for k in ProblemKind),
    }
    wanted = {f"plan.{group}.{key}" for group, keys in groups.items() for key in keys}
    assert {key for key in wanted if not has_text(key)} == set()


def test_every_import_note_has_words_with_the_importers_values() -> None:
    """The importer's notes are codes; each reads in both languages, with the values the
    English sentence of the command line uses."""
    from roi_model.files.imports.headers import _SENTENCES, NoteCode

    for code in NoteCode:
        english, spanish = (text(f"history.note.{code.value}", lang) for lang in ("en", "es"))
        assert _placeholders(english) == _placeholders(spanish) == _placeholders(_SENTENCES[code])


def test_an_import_note_reads_in_spanish_with_spanish_numbers(spanish: None) -> None:
    from pages._ui.views.history import _note_text
    from roi_model.files.imports.read import ImportNote, NoteCode

    note = ImportNote.of(
        NoteCode.TOTAL_MISMATCH, line=1234, field="spend", stated=3500.0, summed=3234.5
    )
    assert _note_text(note) == (
        "La fila de total de la línea 1234 dice Gasto = 3.500, pero las filas de detalle "
        "suman 3.234,5."
    )


class TestEditedRows:
    """A data editor's widget state holds only the changes; the rows as the user left them."""

    KEY = "test_editor"

    @pytest.fixture(autouse=True)
    def forget_editor(self) -> Iterator[None]:
        yield
        st.session_state.pop(self.KEY, None)

    def rows(self, delta: dict[str, object]) -> list[dict[str, object]]:
        import pandas as pd

        from pages._ui.app.state import edited_rows

        st.session_state[self.KEY] = delta
        frame = pd.DataFrame({"name": ["a", "b", "c"], "value": [1, 2, 3]})
        return edited_rows(self.KEY, frame)

    def test_no_change(self) -> None:
        assert [r["name"] for r in self.rows({})] == ["a", "b", "c"]

    def test_edit_delete_and_add(self) -> None:
        rows = self.rows(
            {
                "edited_rows": {"2": {"value": 30}},
                "deleted_rows": [0],
                "added_rows": [{"name": "d", "value": 4}],
            }
        )
        assert rows == [
            {"name": "b", "value": 2},
            {"name": "c", "value": 30},
            {"name": "d", "value": 4},
        ]


def test_every_composed_key_of_the_channels_pages_exists() -> None:
    """Keys built at run time (f-strings) are not seen by the scan of the app's code."""
    from pages._ui.views.channels import VIEWS

    objectives = ("financial", "full")
    wanted = {
        *(f"mix.{what}.{o}" for what in ("return", "roi", "reverse.roi") for o in objectives),
        *(f"channels.objective.{o}" for o in objectives),
        *(f"channels.tab.{name}" for name in VIEWS),
        *(f"channels.marker.{kind}" for kind in ("today", "doubling")),
        *(f"channels.curves.{measure}" for measure in ("return", "impressions")),
        *(f"goals.glance.{tier}" for tier in ("primary", "secondary")),
    }
    assert {key for key in wanted if not has_text(key)} == set()


def test_send_now_gives_way_for_two_sending_cycles_unless_turned_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pages._ui.app import send_now

    pauses: list[float] = []
    monkeypatch.setattr(send_now.time, "sleep", pauses.append)
    send_now.send_now()
    # Streamlit's server sends at most every 5 ms: the cycle under way, then the figures'
    assert pauses == [send_now.PAUSE_S] and pytest.approx(0.010) == send_now.PAUSE_S
    monkeypatch.setenv(send_now.ENABLED_ENV, "0")
    send_now.send_now()
    assert pauses == [send_now.PAUSE_S]


def test_panel_rows_keep_every_panel_s_measures_even_when_named_alike() -> None:
    channels = pd.Index(["A", "B"])
    rows = panel_rows(
        channels,
        [{"Spend": [1.0, 2.0], "Return": [3.0, 4.0]}, {"Return": [0.25, 0.75]}],
        str,
    )
    assert list(rows["panel"]) == [0, 0, 0, 0, 1, 1]
    assert list(rows["measure"]) == ["Spend", "Spend", "Return", "Return", "Return", "Return"]
    assert list(rows["value"]) == [1.0, 2.0, 3.0, 4.0, 0.25, 0.75]
    assert list(rows["channel"]) == ["A", "B"] * 3
    assert list(rows["shown"]) == ["1.0", "2.0", "3.0", "4.0", "0.25", "0.75"]


def test_a_marked_table_alone_has_its_class_and_marks_only_its_marked_cells() -> None:
    frame = pd.DataFrame({"A <b>": ["1 & 2", "3"]}, index=pd.Index(["x", "<y>"], name="Metric"))
    classes = pd.DataFrame({"A <b>": ["better", ""]}, index=frame.index)
    table = marked_table_html(frame, classes, "comparison")
    assert table.startswith('<table class="comparison">')
    assert "<th>Metric</th>" in table and "<th>A &lt;b&gt;</th>" in table  # names escaped
    assert '<td class="better">1 &amp; 2</td>' in table and "<td>3</td>" in table
    assert "<th>&lt;y&gt;</th>" in table
    assert table.count("class=") == 2  # the table's, and its one marked cell's
