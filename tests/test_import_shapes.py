"""Exports laid out wide by channel, or with month and day apart, reshaped before reading; and
dates the file cannot settle, settled by the user."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_model.files.imports import NoteCode, SkipReason, read_history
from roi_model.files.imports.shapes import (
    channel_and_field,
    measure_name,
    month_day_dates,
    unpivot_channels,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Facebook gasto", ("Facebook", "spend")),
        ("Spend - Instagram", ("Instagram", "spend")),
        ("LinkedIn: Clicks", ("LinkedIn", "clicks")),
        ("Instagram alcance", ("Instagram", "reach")),
        ("X impressions", ("X", "impressions")),
        ("Twitter retweets", ("X", "shares")),
        ("Google Ads coste", ("Google Ads", "spend")),
        ("TikTok - Importe gastado (EUR)", ("TikTok", "spend")),
        ("Fecha", None),
        ("Facebook", None),
        ("Facebook fecha", None),
        ("Xbox gasto", None),
        ("Gasto", None),
    ],
    ids=[
        "es-after",
        "en-before",
        "colon",
        "reach",
        "x",
        "twitter-is-x",
        "google-ads",
        "currency-code",
        "date",
        "network-alone",
        "date-per-network",
        "not-a-network",
        "measure-alone",
    ],
)
def test_channel_and_measure_in_one_header(header: str, expected: tuple[str, str] | None) -> None:
    assert channel_and_field(header) == expected


class TestWideByChannel:
    HEADER = (
        "Fecha",
        "Facebook gasto",
        "Instagram gasto",
        "Facebook clics",
        "Instagram clics",
        "Notas",
    )

    def cells(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                ["01/03/2025", "10", "20", "5", "6", "a"],
                ["02/03/2025", "11", "21", "5", None, None],
                ["Total", "21", "41", "10", "6", None],
            ],
            dtype=object,
        )

    def test_one_row_per_channel_keeping_lines_and_other_columns(self) -> None:
        long = unpivot_channels(self.HEADER, self.cells(), np.array([3, 4, 6]))
        assert long is not None
        assert long.header == ["Fecha", "Notas", "channel", "gasto", "clics"]
        assert long.lines.tolist() == [3, 3, 4, 4, 6, 6]
        assert long.cells.values.tolist() == [
            ["01/03/2025", "a", "Facebook", "10", "5"],
            ["01/03/2025", "a", "Instagram", "20", "6"],
            ["02/03/2025", None, "Facebook", "11", "5"],
            ["02/03/2025", None, "Instagram", "21", None],
            ["Total", None, "Facebook", "21", "10"],
            ["Total", None, "Instagram", "41", "6"],
        ]

    def test_a_measure_only_one_channel_has_is_empty_for_the_others(self) -> None:
        header = ["Fecha", "Facebook gasto", "Instagram gasto", "Instagram me gusta"]
        cells = pd.DataFrame([["2025-03-01", "1", "2", "30"]], dtype=object)
        long = unpivot_channels(header, cells, np.array([2]))
        assert long is not None
        assert long.header == ["Fecha", "channel", "gasto", "me gusta"]
        assert long.cells.values.tolist() == [
            ["2025-03-01", "Facebook", "1", None],
            ["2025-03-01", "Instagram", "2", "30"],
        ]

    @pytest.mark.parametrize(
        "header",
        [
            ["Fecha", "Canal", "Facebook gasto", "Instagram gasto"],
            ["Fecha", "Facebook gasto", "Gasto"],
            ["Fecha", "Gasto", "Clics"],
            ["Fecha", "Gasto total", "Facebook gasto", "Instagram gasto"],
        ],
        ids=["has-a-channel-column", "one-wide-column", "long-already", "with-an-overall-measure"],
    )
    def test_other_tables_are_left_alone(self, header: list[str]) -> None:
        cells = pd.DataFrame([["x"] * len(header)], dtype=object)
        assert unpivot_channels(header, cells, np.array([2])) is None


class TestMonthAndDayApart:
    def test_spanish_month_names_and_the_latest_year_not_in_the_future(self) -> None:
        header = ["Mes", "Día", "Alcance"]
        cells = pd.DataFrame(
            [["marzo", "1", "100"], ["Abril", "30", "110"], ["dic.", "31", "5"], [None, None, "7"]],
            dtype=object,
        )
        found = month_day_dates(header, cells, np.array([2, 3, 4, 5]), TODAY)
        assert found is not None
        table, year = found
        assert year == 2025  # 31 December 2026 would be in the future
        assert table.header == ["Mes", "date", "Alcance"]
        assert table.cells[1].tolist() == ["2025-03-01", "2025-04-30", "2025-12-31", None]
        assert table.lines.tolist() == [2, 3, 4, 5]

    @pytest.mark.parametrize(
        ("month", "number"),
        [
            ("fevereiro", 2),
            ("maio", 5),
            ("outubro", 10),
            ("dez.", 12),
            ("xaneiro", 1),
            ("xuño", 6),
            ("xullo", 7),
            ("decembro", 12),
            ("setembro", 9),
        ],
    )
    def test_portuguese_and_galician_month_names(self, month: str, number: int) -> None:
        cells = pd.DataFrame([[month, "1"]], dtype=object)
        found = month_day_dates(["Mês", "Dia"], cells, np.array([2]), TODAY)
        assert found is not None
        assert found[0].cells[1].tolist() == [f"{found[1]}-{number:02d}-01"]

    def test_english_names_this_year_when_all_have_passed(self) -> None:
        cells = pd.DataFrame([["March", "3"], ["Nov", "23"]], dtype=object)
        found = month_day_dates(["Month", "Day"], cells, np.array([2, 3]), TODAY)
        assert found is not None
        assert found[1] == 2026
        assert found[0].cells[1].tolist() == ["2026-03-03", "2026-11-23"]

    def test_a_year_column_gives_the_year(self) -> None:
        cells = pd.DataFrame([["2024", "2", "29"], ["2023", "02", "29"]], dtype=object)
        found = month_day_dates(["Año", "Mes", "Día"], cells, np.array([2, 3]), TODAY)
        assert found is not None
        assert found[1] is None
        assert found[0].cells[2].tolist() == ["2024-02-29", None]  # 2023 had no 29 February

    @pytest.mark.parametrize(
        ("header", "row"),
        [
            (["Fecha", "Día", "Gasto"], ["2025-03-01", "1", "5"]),
            (["Mes", "Gasto"], ["marzo", "5"]),
            (["Mes", "Día"], ["marzo", "45"]),
            (["Mes", "Día"], ["Total", "1"]),
        ],
        ids=["has-a-date-column", "no-day", "day-out-of-range", "no-month-reads"],
    )
    def test_other_tables_are_left_alone(self, header: list[str], row: list[str]) -> None:
        cells = pd.DataFrame([row], dtype=object)
        assert month_day_dates(header, cells, np.array([2]), TODAY) is None

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["April", "may", "Jun.", "marzo", "12", None]),
                st.one_of(st.integers(1, 31), st.none()),
            ),
            min_size=1,
            max_size=12,
        ),
        st.sampled_from(["object", "category", "str", "number"]),
        st.sampled_from(["object", "category", "str"]),
    )
    def test_any_column_dtype_reads_as_text_does(
        self, pairs: list[tuple[str | None, int | None]], day_dtype: str, month_dtype: str
    ) -> None:
        """The fast path hands over categoricals of text, pyarrow strings or numbers: each
        must give the dates the plain text gives (a categorical day column once crashed)."""
        months = [month for month, _ in pairs]
        days = [None if day is None else str(day) for _, day in pairs]
        text = pd.DataFrame({0: months, 1: days, 2: ["5"] * len(pairs)}, dtype=object)
        typed = text.copy()
        typed[0] = _as_dtype(text[0], month_dtype)
        typed[1] = _as_dtype(text[1], day_dtype)
        lines = np.arange(len(pairs)) + 2
        expected = month_day_dates(["Month", "Day", "Reach"], text, lines, TODAY)
        found = month_day_dates(["Month", "Day", "Reach"], typed, lines, TODAY)
        assert (found is None) == (expected is None)
        if found is not None and expected is not None:
            assert found[1] == expected[1]
            assert found[0].cells[1].tolist() == expected[0].cells[1].tolist()
            assert found[0].header == ["Month", "date", "Reach"]


def _as_dtype(values: pd.Series, dtype: str) -> pd.Series:
    if dtype == "number":
        return pd.to_numeric(values)  # floats, NaN where empty: as pyarrow's numbers
    return values.astype(dtype) if dtype != "str" else values.astype("str").where(values.notna())


# --- Through the importer ---------------------------------------------------------------------

WIDE = (
    b"Fecha;Facebook gasto;Instagram gasto;Facebook clics;Instagram clics;Notas\n"
    b"01/03/2025;10;20,5;5;6;lanzamiento\n"
    b"02/03/2025;11;21;5;7;\n"
    b"Total;21;41,5;10;14;\n"
)


def test_a_wide_export_is_read_one_row_per_channel_and_each_total_checked() -> None:
    result = read_history(WIDE, filename="semana.csv")
    assert result.channels() == ("Facebook", "Instagram")
    by_channel = result.rows.groupby("channel")[["spend", "clicks"]].sum()
    assert by_channel.loc["Facebook"].tolist() == [21.0, 10.0]
    assert by_channel.loc["Instagram"].tolist() == [41.5, 13.0]
    assert [(s.line, s.reason) for s in result.skipped] == [(4, SkipReason.TOTAL)]
    said = [str(note) for note in result.warnings]
    assert said[0] == (
        "The file has a column per channel and measure; each row was read as one row per "
        "channel (Facebook, Instagram)."
    )
    # only Instagram's clicks disagree with their total (13 against 14)
    mismatches = [n.params_dict() for n in result.warnings if n.code is NoteCode.TOTAL_MISMATCH]
    assert mismatches == [{"line": 4, "field": "clicks", "stated": 14.0, "summed": 13.0}]


def test_a_wide_export_keeps_the_currency_of_its_headers() -> None:
    data = (
        b"Date,TikTok - Amount spent (USD),Instagram - Amount spent (USD)\n"
        b"2025-03-01,10.5,20\n2025-03-02,11,21\n"
    )
    result = read_history(data)
    assert result.currency == "USD"
    assert result.mapping == {"Date": "date", "channel": "channel", "Amount spent (USD)": "spend"}
    assert result.totals() == {"spend": 62.5}


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("TikTok - Importe gastado (EUR)", "Importe gastado (EUR)"),
        ("Spend - Instagram", "Spend"),
        ("Facebook gasto", "gasto"),
        ("LinkedIn: Clicks", "Clicks"),
        ("Google Ads coste", "coste"),
    ],
)
def test_a_measure_is_named_as_the_file_names_it(header: str, name: str) -> None:
    assert measure_name(header) == name


def test_month_and_day_apart_are_read_as_dates_with_the_year_said() -> None:
    data = "Mes;Día;Alcance;Me gusta\nnoviembre;20;100;5\nnoviembre;30;90;4\n".encode()
    result = read_history(data, filename="ig.csv", channel="Instagram", today=TODAY)
    assert result.date_range() == (date(2025, 11, 20), date(2025, 11, 30))  # the 30th is ahead
    assert result.totals() == {"reach": 190.0, "likes": 9.0}
    (year,) = [n for n in result.warnings if n.code is NoteCode.YEAR_ASSUMED]
    assert year.params_dict() == {"year": 2025}


class TestDateOrderChosen:
    AMBIGUOUS = b"date,channel,spend\n01/03/2025,Facebook,10\n02/03/2025,Facebook,20\n"

    def test_the_users_choice_settles_dates_the_file_cannot(self) -> None:
        assumed = read_history(self.AMBIGUOUS)
        assert assumed.date_order == "mdy"
        assert [n.code for n in assumed.warnings] == [NoteCode.MONTH_FIRST_ASSUMED]
        chosen = read_history(self.AMBIGUOUS, date_order="dmy")
        assert chosen.date_range() == (date(2025, 3, 1), date(2025, 3, 2))
        assert [n.code for n in chosen.warnings] == [NoteCode.DAY_FIRST_CHOSEN]

    def test_dates_that_can_only_be_read_one_way_are_read_that_way(self) -> None:
        clear = b"date,channel,spend\n01/03/2025,Facebook,10\n25/03/2025,Facebook,20\n"
        result = read_history(clear, date_order="mdy")
        assert result.date_order == "dmy"
        assert result.date_range() == (date(2025, 3, 1), date(2025, 3, 25))
        assert result.warnings == ()

    def test_an_unknown_order_is_a_programming_error(self) -> None:
        with pytest.raises(ValueError, match="date_order"):
            read_history(self.AMBIGUOUS, date_order="ymd")
