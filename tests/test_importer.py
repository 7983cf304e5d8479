"""The importer of campaign exports: one test per quirk of a real platform's file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi_model.files.imports import (
    HISTORY_FIELDS,
    ImportNote,
    ImportProblem,
    ImportRefused,
    ImportResult,
    NoteCode,
    Skipped,
    detect_mapping,
    read_history,
)
from roi_model.files.imports import fast as fast_path
from roi_model.files.imports import read as importer

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
NO_CHANNEL = 'The file has no channel column and no channel was given; channel is "".'


def _read(name: str, **options: object) -> ImportResult:
    return read_history((FIXTURES / name).read_bytes(), filename=name, **options)  # type: ignore[arg-type]


def _said(result: ImportResult) -> list[str]:
    """The warnings as the command line prints them."""
    return [str(note) for note in result.warnings]


def _reasons(result: ImportResult) -> list[tuple[int, str]]:
    return [(item.line, item.reason) for item in result.skipped]


def test_meta_english_bom_crlf_duplicates_kept_and_reported() -> None:
    result = _read("meta_en_daily_bom.csv")
    assert result.encoding == "utf-8-sig" and result.delimiter == "," and result.currency == "USD"
    assert len(result.rows) == 3
    assert result.totals()["spend"] == pytest.approx(319.5)
    assert result.totals()["revenue"] == pytest.approx(360.0)
    assert result.skipped == ()
    assert "1 row(s) repeat an earlier row exactly (lines 4); they were kept." in _said(result)


def test_duplicates_dropped_on_request() -> None:
    result = _read("meta_en_daily_bom.csv", keep_duplicates=False)
    assert len(result.rows) == 2
    assert result.totals()["spend"] == pytest.approx(220.0)
    assert _reasons(result) == [(4, "duplicate row")]


def test_meta_spanish_semicolon_decimal_comma_total_row_first() -> None:
    result = _read("meta_es_semicolon.csv")
    assert (result.delimiter, result.decimal, result.date_order) == (";", ",", "dmy")
    assert result.totals()["spend"] == pytest.approx(1250.75)
    assert result.totals()["impressions"] == 150_000
    assert _reasons(result) == [(2, "total row")]
    assert result.date_range() == (pd_date("2025-03-01"), pd_date("2025-03-02"))
    # Reach does not add up across days; the total row says so and the warning reports it.
    assert any("total row on line 2 gives reach 90,000.00" in w for w in _said(result))
    assert any("day/month/year was assumed" in w for w in _said(result))


def test_google_ads_utf16_tab_preamble_two_totals_converted_cost() -> None:
    result = _read("google_ads_es_utf16.csv")
    assert (result.encoding, result.delimiter, result.decimal) == ("utf-16", "\t", ",")
    assert result.totals() == {
        "spend": pytest.approx(95.5),
        "impressions": 3800,
        "clicks": 150,
        "sales": 5,
        "revenue": 250,
    }
    assert _reasons(result) == [
        (1, "before the header"),
        (2, "before the header"),
        (6, "total row"),
        (7, "total row"),
    ]
    assert 'Columns "Coste" and "Coste (moneda convertida)" both give spend; "Coste" was used.' in (
        _said(result)
    )
    assert not any("total row on line" in w for w in _said(result))


def test_instagram_cp1252_nbsp_thousands_placeholders_no_final_newline() -> None:
    result = _read("instagram_en_cp1252.csv")
    assert result.encoding == "cp1252" and result.date_order == "mdy"
    assert len(result.rows) == 3
    assert result.totals()["impressions"] == 12_345 + 8_001
    assert result.rows["impressions"].isna().sum() == 1  # "--" is missing, not 0
    assert result.rows["reach"].isna().sum() == 1  # "-" too
    assert result.date_range() == (pd_date("2025-03-14"), pd_date("2025-03-20"))
    assert NO_CHANNEL in _said(result)


def test_instagram_spanish_ambiguous_dates_and_thousands_are_assumed_european() -> None:
    result = _read("instagram_es_posts.csv")
    assert result.date_order == "dmy" and result.decimal == ","
    assert result.totals()["impressions"] == 3600
    assert result.date_range() == (pd_date("2025-04-03"), pd_date("2025-04-05"))
    assert any("could be day-first or month-first" in w for w in _said(result))
    assert any("decimal mark could not be decided" in w for w in _said(result))


def test_ga4_comment_block_compact_dates_channels_grand_total() -> None:
    result = _read("ga4_channels.csv")
    assert result.channels() == ("Organic Social", "Paid Social")
    assert result.totals() == {"clicks": 800, "sales": 22, "revenue": pytest.approx(1910.75)}
    assert "spend" not in result.rows.columns
    assert _reasons(result) == [(n, "before the header") for n in range(1, 7)] + [
        (7, "empty line"),
        (13, "empty line"),
        (14, "total row"),
    ]
    assert '"Sessions" (visits) is counted as clicks.' in _said(result)


def test_linkedin_total_row_that_does_not_add_up_is_reported() -> None:
    result = _read("linkedin_campaigns.csv")
    assert result.totals()["spend"] == pytest.approx(3234.5)
    assert _reasons(result) == [
        (1, "before the header"),
        (2, "before the header"),
        (6, "total row"),
    ]
    assert (
        "The total row on line 6 gives spend 3,500.00 but the detail rows add up to 3,234.50."
        in _said(result)
    )


def test_notes_carry_raw_values_for_the_app_and_english_for_the_command_line() -> None:
    result = _read("linkedin_campaigns.csv")
    note = ImportNote.of(
        NoteCode.TOTAL_MISMATCH, line=6, field="spend", stated=3500.0, summed=pytest.approx(3234.5)
    )
    assert note in result.warnings
    found = next(w for w in result.warnings if w.code is NoteCode.TOTAL_MISMATCH)
    assert found.params_dict()["summed"] == pytest.approx(3234.5)
    assert result.to_dict()["warnings"] == _said(result)
    assert hash(found) == hash(ImportNote(found.code, found.params))  # frozen: a set can hold it


def test_tiktok_currency_codes_trailing_empty_fields_stray_number() -> None:
    result = _read("tiktok_daily.csv", channel="TikTok")
    assert result.currency == "EUR" and result.channels() == ("TikTok",)
    assert result.totals()["spend"] == pytest.approx(55.5)
    assert _reasons(result) == [
        (4, "empty line"),
        (5, "not a data row (a single value outside the table)"),
    ]
    assert NO_CHANNEL not in _said(result)


def test_x_timestamps_with_zone() -> None:
    result = _read("x_tweets.csv")
    assert result.totals() == {
        "impressions": 3000,
        "clicks": 30,
        "likes": 80,
        "comments": 5,
        "shares": 10,
    }
    assert result.date_range() == (pd_date("2025-03-01"), pd_date("2025-03-03"))


def test_generic_spanish_month_names_spaces_percent_and_totales() -> None:
    result = _read("generic_es_monthnames.csv")
    assert result.decimal == "," and result.currency == "EUR"
    assert result.totals()["spend"] == pytest.approx(2214.5)
    assert result.totals()["support_queries"] == 4
    assert _reasons(result) == [(4, "total row")]
    assert result.date_range() == (pd_date("2025-03-01"), pd_date("2025-03-02"))


def test_nothing_usable_is_refused_with_the_columns_found() -> None:
    with pytest.raises(ImportRefused) as caught:
        _read("customers.csv")
    assert caught.value.problem is ImportProblem.NOTHING_USABLE
    assert caught.value.found_columns == ("Name", "Email", "City")
    assert '"Name", "Email", "City"' in caught.value.reason and "spend" in caught.value.reason


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", ImportProblem.EMPTY),
        (b"  \n\n", ImportProblem.EMPTY),
        (b"\xff\xfe\x00", ImportProblem.UNREADABLE),
        (b"PK\x03\x04garbage", ImportProblem.UNREADABLE),
    ],
)
def test_refusals(data: bytes, problem: ImportProblem) -> None:
    with pytest.raises(ImportRefused) as caught:
        read_history(data)
    assert caught.value.problem is problem and caught.value.reason.endswith(".")


@pytest.mark.parametrize(
    "name", sorted(path.name for path in FIXTURES.iterdir() if path.suffix == ".csv")
)
def test_a_path_reads_as_its_bytes(name: str) -> None:
    """A path is mapped into memory, not read: the result is the same, its name included."""
    path = FIXTURES / name
    options = {"channel": "Meta"} if name == "customers.csv" else {}
    try:
        expected: ImportResult | ImportRefused = read_history(
            path.read_bytes(), filename=name, **options
        )
    except ImportRefused as refusal:
        expected = refusal
    try:
        got: ImportResult | ImportRefused = read_history(path, **options)  # type: ignore[arg-type]
    except ImportRefused as refusal:
        got = refusal
    _assert_same(got, expected)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", ImportProblem.EMPTY),
        (b" \r\n\t", ImportProblem.EMPTY),
        (b"PK\x03\x04garbage", ImportProblem.UNREADABLE),
    ],
)
def test_a_path_is_refused_as_its_bytes(
    tmp_path: Path, content: bytes, problem: ImportProblem
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as caught:
        read_history(path)
    assert caught.value.problem is problem


def test_a_quoted_file_from_a_path_takes_the_careful_path(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_bytes(b'date,channel,spend\n2025-03-01,"Meta, Inc.",12.5\n2025-03-02,X,3\n')
    result = read_history(path)
    assert list(result.rows["channel"]) == ["Meta, Inc.", "X"] and result.totals()["spend"] == 15.5


def test_a_missing_path_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_history(tmp_path / "nowhere.csv")


def test_a_file_above_the_limit_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importer, "MAX_BYTES", 2 * 2**20)
    with pytest.raises(ImportRefused) as caught:
        read_history(b"date,spend\n" + b"2025-01-01,1\n" * 300_000)  # 3.9 MB
    assert caught.value.problem is ImportProblem.TOO_LARGE
    assert caught.value.reason == "The file has 4 MB; at most 2 MB can be imported."


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [
                "Day",
                "Campaign name",
                "Amount spent (EUR)",
                "Impressions",
                "Reach",
                "Link clicks",
                "Leads",
                "Purchases",
                "Purchases conversion value",
                "Post reactions",
                "Post comments",
                "Post shares",
                "ThruPlays",
            ],
            [
                "date",
                "campaign",
                "spend",
                "impressions",
                "reach",
                "clicks",
                "leads",
                "sales",
                "revenue",
                "likes",
                "comments",
                "shares",
                "video_views",
            ],
        ),
        (
            [
                "Día",
                "Nombre de la campaña",
                "Importe gastado (EUR)",
                "Impresiones",
                "Alcance",
                "Clics en el enlace",
                "Clientes potenciales",
                "Compras",
                "Valor de conversión de compras",
            ],
            [
                "date",
                "campaign",
                "spend",
                "impressions",
                "reach",
                "clicks",
                "leads",
                "sales",
                "revenue",
            ],
        ),
        (
            ["Day", "Campaign", "Cost", "Impr.", "Clicks", "Conversions", "Conv. value"],
            ["date", "campaign", "spend", "impressions", "clicks", "sales", "revenue"],
        ),
        (
            ["Día", "Campaña", "Coste", "Impr.", "Clics", "Conversiones", "Valor de conv."],
            ["date", "campaign", "spend", "impressions", "clicks", "sales", "revenue"],
        ),
        (
            [
                "Start Date (in UTC)",
                "Campaign Name",
                "Total Spent",
                "Impressions",
                "Clicks",
                "Leads",
                "Reactions",
                "Comments",
                "Shares",
            ],
            [
                "date",
                "campaign",
                "spend",
                "impressions",
                "clicks",
                "leads",
                "likes",
                "comments",
                "shares",
            ],
        ),
        (
            [
                "By Day",
                "Campaign name",
                "Cost",
                "Impression",
                "Clicks (Destination)",
                "Conversions",
                "Video Views",
            ],
            ["date", "campaign", "spend", "impressions", "clicks", "sales", "video_views"],
        ),
        (
            ["Date", "Session default channel group", "Key events", "Total revenue"],
            ["date", "channel", "sales", "revenue"],
        ),
        (
            ["Fecha", "Grupo de canales predeterminado", "Conversiones", "Ingresos totales"],
            ["date", "channel", "sales", "revenue"],
        ),
        (
            [
                "Hora de publicación",
                "Me gusta",
                "Comentarios",
                "Veces compartido",
                "Veces guardado",
            ],
            ["date", "likes", "comments", "shares", "saves"],
        ),
        (
            [
                "fecha",
                "canal",
                "campaña",
                "gasto",
                "horas",
                "leads",
                "ventas",
                "ingresos",
                "consultas",
            ],
            [
                "date",
                "channel",
                "campaign",
                "spend",
                "staff_hours",
                "leads",
                "sales",
                "revenue",
                "support_queries",
            ],
        ),
    ],
)
def test_platform_headers_map(headers: list[str], expected: list[str]) -> None:
    assert list(detect_mapping(headers).values()) == expected
    assert set(expected) - {"date", "channel", "campaign"} <= set(HISTORY_FIELDS)


def test_two_columns_prefer_the_unconverted_currency() -> None:
    assert detect_mapping(["Cost (Converted currency)", "Cost"]) == {"Cost": "spend"}


@pytest.mark.parametrize(
    ("cells", "decimal", "expected"),
    [
        ('"1,234.56"', ".", 1234.56),
        ('"1.234,56"', ",", 1234.56),
        ('"1 234,56"', ",", 1234.56),
        ('"1\u00a0234,56"', ",", 1234.56),
        ('"1\u202f234,56"', ",", 1234.56),
        ('"8.30%"', ".", 0.083),
        ('"8,30 %"', ",", 0.083),
        ('"$1,234.56"', ".", 1234.56),
        ('"1.5e3"', ".", 1500.0),
        ('"2E-2"', ".", 0.02),
    ],
)
def test_number_formats(cells: str, decimal: str, expected: float) -> None:
    data = f"date,spend\n2025-03-01,{cells}\n2025-03-02,{cells}\n".encode()
    result = read_history(data)
    assert result.decimal == decimal
    assert result.totals()["spend"] == pytest.approx(2 * expected)


@pytest.mark.parametrize(
    ("day", "order", "expected"),
    [
        ("2025-03-01", None, "2025-03-01"),
        ("20250301", None, "2025-03-01"),
        ("13/03/2025", "dmy", "2025-03-13"),
        ("03/13/2025", "mdy", "2025-03-13"),
        ("Mar 1, 2025", None, "2025-03-01"),
        ("1 marzo 2025", None, "2025-03-01"),
        ("1 mar 2025", None, "2025-03-01"),
        ("2025-03-01 - 2025-03-31", None, "2025-03-01"),
    ],
)
def test_date_formats(day: str, order: str | None, expected: str) -> None:
    result = read_history(f'date,spend\n"{day}",1\n'.encode())
    assert result.date_order == order
    assert result.date_range() == (pd_date(expected), pd_date(expected))


@pytest.mark.parametrize("day", ["1500-03-01", "2999-03-01", "01/03/1500"])
def test_a_date_pandas_cannot_hold_is_no_date_not_a_crash(day: str) -> None:
    result = read_history(f"date,spend\n{day},1\n2025-03-01,2\n".encode())
    assert result.rows["date"].isna().tolist() == [True, False]


def test_ambiguous_dates_in_an_english_file_are_month_first_and_said() -> None:
    result = read_history(b"date,spend\n03/04/2025,1\n")
    assert result.date_order == "mdy"
    assert any("month/day/year was assumed" in w for w in _said(result))


def test_mapping_override_and_channel_option() -> None:
    data = b"when,money,hits\n2025-03-01,5,7\n"
    result = read_history(
        data, mapping={"money": "spend", "hits": "clicks", "when": "date"}, channel="Blog"
    )
    assert result.totals() == {"spend": 5, "clicks": 7} and result.channels() == ("Blog",)
    with pytest.raises(ImportRefused) as caught:
        read_history(data, mapping={"money": "dinero"})
    assert caught.value.problem is ImportProblem.BAD_MAPPING


def test_progress_is_reported_from_0_to_1() -> None:
    seen: list[float] = []
    read_history(b"date,spend\n2025-03-01,1\n", progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_skipped_is_a_line_and_a_reason() -> None:
    assert Skipped(3, "total row").line == 3


def pd_date(text: str) -> object:
    from datetime import date

    return date.fromisoformat(text)


def _outcome(data: bytes) -> None:
    try:
        result = read_history(data)
    except ImportRefused as refusal:
        assert refusal.reason
        return
    assert isinstance(result, ImportResult)
    result.to_dict()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    _outcome(data)


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "--",
            "-",
            "Total",
            "Totales",
            "1,234.56",
            "1.234,56",
            "8,30 %",
            "€ 12",
            "2025-03-01",
            "01/03/2025",
            "20250301",
            "marzo",
            '"',
            "Spend",
            "Clicks",
            "Día",
            "Coste",
            "Impr.",
        ]
    ),
    st.text(max_size=8),
    st.floats(allow_nan=True).map(str),
    st.integers().map(str),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(CELL, max_size=6), max_size=8),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_random_csv_like_text_never_crashes(
    rows: list[list[str]], separator: str, newline: str, encoding: str
) -> None:
    text = newline.join(separator.join(row) for row in rows)
    _outcome(text.encode(encoding, errors="replace"))


def test_every_header_column_is_listed_mapped_or_not() -> None:
    result = read_history(b"date,channel,spend,notes\n2025-01-01,X,10,hello\n")
    assert result.columns == ("date", "channel", "spend", "notes")
    assert "notes" not in result.mapping


# --- The fast path (pyarrow) reads a clean file as the careful path (csv module) does ---------


def _careful(data: bytes, **options: object) -> ImportResult | ImportRefused:
    """The file read with the fast path switched off."""
    fast = fast_path.fast_table
    fast_path.fast_table = lambda data, overrides: None  # type: ignore[assignment]
    try:
        return _either(data, **options)
    finally:
        fast_path.fast_table = fast  # type: ignore[assignment]


def _either(data: bytes, **options: object) -> ImportResult | ImportRefused:
    try:
        return read_history(data, **options)  # type: ignore[arg-type]
    except ImportRefused as refusal:
        return refusal


def _assert_same(fast: ImportResult | ImportRefused, careful: ImportResult | ImportRefused) -> None:
    if isinstance(careful, ImportRefused) or isinstance(fast, ImportRefused):
        assert isinstance(fast, ImportRefused) and isinstance(careful, ImportRefused)
        assert (fast.problem, fast.reason) == (careful.problem, careful.reason)
        return
    pd.testing.assert_frame_equal(fast.rows, careful.rows)
    for name in (
        "skipped",
        "mapping",
        "warnings",
        "encoding",
        "delimiter",
        "decimal",
        "date_order",
        "currency",
        "columns",
        "unused_numbers",
    ):
        assert getattr(fast, name) == getattr(careful, name), name


def _clean_export(rows: int, newline: str = "\n") -> bytes:
    """A clean daily export, with what such files hold: empty cells, a blank line, a stray
    value, an exact repeat, a repeat written differently (1.5, 1.50) and a total row."""
    rng = np.random.default_rng(3)
    lines = ["Day,Channel,Campaign name,Amount spent,Impressions,Link clicks,Purchases,Notes"]
    for i in range(rows):
        spend = "" if i % 97 == 5 else f"{rng.gamma(2.0, 60.0):.2f}".rstrip("0")
        day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=i // 7)
        lines.append(
            f"{day:%Y-%m-%d},{['Meta', 'TikTok'][i % 2]},Spring sale {i % 5},{spend},"
            f"{rng.integers(100, 9000)},{rng.integers(0, 90)},{i % 3},"
            f"{'' if i % 4 else 'checked'}"
        )
    lines[20] = "2025-01-03,Meta,Spring sale 1,1.5,100,2,0,"
    lines[30] = "2025-01-03,Meta,Spring sale 1,1.50,100,2,0,"
    lines[40] = lines[41]
    lines.insert(50, "")
    lines.insert(60, "orphan,,,,,,,")
    lines.append("Total,,,123.45,1000,10,5,")
    return (newline.join(lines) + newline).encode()


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("keep_duplicates", [True, False])
def test_fast_path_reads_a_clean_export_as_the_careful_path(
    newline: str, keep_duplicates: bool
) -> None:
    data = _clean_export(3000, newline)
    assert fast_path.fast_table(data, {}) is not None  # the fast path takes this file
    fast = read_history(data, keep_duplicates=keep_duplicates)
    _assert_same(fast, _careful(data, keep_duplicates=keep_duplicates))
    assert fast.decimal == "." and len(fast.skipped) == 3 + (not keep_duplicates)


@pytest.mark.parametrize(
    ("text", "decimal"),
    [
        ("fecha,canal,impresiones\n2025-03-01,X,1.234\n2025-03-02,X,2.500\n", ","),
        ("fecha,canal,impresiones\n2025-03-01,X,1234\n", ","),
        ("date,channel,spend\n2025-03-01,X,0.125\n2025-03-02,X,1.250\n", "."),
        ("date,sessions,revenue\n20250301,5,1.5\n20250302,6,2.5\n", "."),
        ("date,spend,reach\n2025-03-01,1e3,inf\n2025-03-02,12,5\n", "."),
    ],
)
def test_fast_path_leaves_the_text_decisions_to_the_text(text: str, decimal: str) -> None:
    """Thousands points in a Spanish file, marks no number settles, compact dates, exponents:
    pyarrow's numbers alone would read these differently from the careful path."""
    fast = read_history(text.encode())
    _assert_same(fast, _careful(text.encode()))
    assert fast.decimal == decimal and fast.rows["date"].notna().all()


def test_the_date_of_a_dropped_row_neither_orders_the_dates_nor_is_noted() -> None:
    """The stray row's 03/04/2025 stays among the fast path's text categories after the row is
    dropped; it must not make the file "day first" (found by the property below)."""
    data = b"fecha,date,channel,campaign,spend\n,,,,\n,,,0,0\n,03/04/2025,,,\n"
    fast = read_history(data)
    _assert_same(fast, _careful(data))
    assert fast.date_order is None
    assert NoteCode.DAY_FIRST_ASSUMED not in [note.code for note in fast.warnings]


def test_a_total_without_a_channel_totals_the_rows_without_one() -> None:
    """The channel column holds only "0" and blanks, so pyarrow types it as numbers: the total
    row's missing channel must still match the rows with none (found by the property below;
    "gasto" is the total's column, "spend" the measure)."""
    data = b"spend,gasto,channel\n5,0,\n5,Total,\n12,,0\n"
    fast = read_history(data)
    _assert_same(fast, _careful(data))
    assert NoteCode.TOTAL_MISMATCH not in [note.code for note in fast.warnings]


@pytest.mark.parametrize("odd", ["", "\x1f"], ids=["plain", "unit-separator-in-a-name"])
def test_many_repeated_rows_are_found_as_the_careful_path_finds_them(odd: str) -> None:
    """An export pasted three times over itself: every row repeats, some written differently
    (1.5 and 1.50, an empty and a blank cell), which the careful path holds apart or alike."""
    lines = [
        f"2025-03-{1 + i % 28:02d},Meta{odd},Sale {i % 3},{i % 7 + 0.5},{i}," for i in range(300)
    ]
    body = lines * 3 + [lines[0].replace(".5,", ".50,", 1), lines[1] + " "]
    data = ("date,channel,campaign,spend,impressions,notes\n" + "\n".join(body) + "\n").encode()
    assert fast_path.fast_table(data, {}) is not None  # the fast path takes this file
    for keep in (True, False):
        fast = read_history(data, keep_duplicates=keep)
        _assert_same(fast, _careful(data, keep_duplicates=keep))
    assert len(fast.rows) == 301  # 300 rows, and 1.50 written apart; the blank is the empty


CLEAN_CELL = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "12",
            "007",
            "-3",
            "+4",
            "1.5",
            "1.50",
            "1.234",
            "1234.5",
            "1e3",
            "inf",
            "nan",
            "--",
            "12%",
            "Total",
            "Totales",
            "2025-03-01",
            "2025-3-1",
            "20250301",
            "03/04/2025",
            "13/03/2025",
            "Mar 1 2025",
            "Facebook",
            " Spring sale ",
            "€ 12",
            "EUR",
            "\u00a0",
            "April",
            "marzo",
            "31",
            "actions:lead",
            "Purchases",
        ]
    ),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters=',"\r\n'), max_size=6),
)
HEADERS = [
    "date",
    "fecha",
    "channel",
    "campaign",
    "spend",
    "gasto",
    "impressions",
    "clicks",
    "revenue",
    "notes",
    "month",
    "day",
    "día",
    "results",
    "result indicator",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5, unique=True),
    st.lists(st.lists(CLEAN_CELL, min_size=5, max_size=5), max_size=12),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_fast_path_matches_the_careful_path_on_any_unquoted_comma_file(
    header: list[str], rows: list[list[str]], newline: str, bom: bool
) -> None:
    lines = [",".join(header), *(",".join(row[: len(header)]) for row in rows)]
    data = (b"\xef\xbb\xbf" if bom else b"") + newline.join(lines).encode()
    _assert_same(_either(data), _careful(data))


def test_total_rows_are_found_in_any_column() -> None:
    """Google Ads puts "Total: Cuenta" under the campaign when the first column is the day."""
    data = (
        "Día,Campaña,Coste,Impr.,Clics\n"
        "2025-03-01,Marca,50,2000,80\n"
        "2025-03-02,Marca,45,1800,70\n"
        ",Total: Cuenta,95,3800,150\n"
        ",Total: Campañas,95,3800,150\n"
    ).encode()
    result = read_history(data, channel="Google Ads")
    assert result.totals() == {"spend": 95.0, "impressions": 3800.0, "clicks": 150.0}
    assert _reasons(result) == [(4, "total row"), (5, "total row")]
    assert not any(note.code is NoteCode.TOTAL_MISMATCH for note in result.warnings)


# --- Shapes of public exports nobody here wrote (built by fixtures/imports/make_real_shapes.py)
# Golden totals: each column summed with the csv module and Decimal, apart from the importer.


class TestDisplayAdsWithMonthAndDayApart:
    """15,000 rows, "April"/"May"/"June" with no year, two empty header cells, three repeats:
    the fast path's day column is a categorical, which once crashed the month/day reading."""

    @pytest.fixture(scope="class")
    @classmethod
    def result(cls) -> ImportResult:
        return read_history(FIXTURES / "display_ads_month_day.csv", today=date(2026, 12, 5))

    def test_every_row_is_read_with_its_date(self, result: ImportResult) -> None:
        assert len(result.rows) == 15_000 and result.rows["date"].notna().all()
        assert result.date_range() == (date(2026, 4, 1), date(2026, 6, 30))
        assert NoteCode.YEAR_ASSUMED in [note.code for note in result.warnings]

    def test_totals(self, result: ImportResult) -> None:
        assert result.totals() == pytest.approx(
            {
                "spend": 83_745.7509,
                "impressions": 37_497_114,
                "clicks": 379_947,
                "sales": 23_382,
                "revenue": 38_096.4781,
            }
        )
        assert result.mapping["displays"] == "impressions"
        assert result.mapping["campaign_number"] == "campaign"

    def test_repeats_and_the_unused_sales_amount_are_said(self, result: ImportResult) -> None:
        said = _said(result)
        assert (
            "3 row(s) repeat an earlier row exactly (lines 20, 4207, 10004); they were kept."
            in said
        )
        assert result.unused_numbers == ("post_click_sales_amount",)  # "160 x 600" is no number
        assert 'Not used: "post_click_sales_amount" (numbers).' in " ".join(said)

    def test_the_careful_path_reads_it_alike(self, result: ImportResult) -> None:
        data = (FIXTURES / "display_ads_month_day.csv").read_bytes()
        _assert_same(result, _careful(data, today=date(2026, 12, 5)))


class TestFacebookAdsDataset:
    """ad_id, xyz_campaign_id, fb_campaign_id, age, gender, interest, Impressions, Clicks,
    Spent, Total_Conversion (enquiries), Approved_Conversion (purchases): no date, no channel."""

    @pytest.fixture(scope="class")
    @classmethod
    def result(cls) -> ImportResult:
        return _read("facebook_ads_kag.csv")

    def test_spend_enquiries_purchases_and_the_campaign_are_read(
        self, result: ImportResult
    ) -> None:
        assert result.mapping == {
            "xyz_campaign_id": "campaign",
            "Impressions": "impressions",
            "Clicks": "clicks",
            "Spent": "spend",
            "Total_Conversion": "leads",
            "Approved_Conversion": "sales",
        }
        assert result.totals() == pytest.approx(
            {
                "spend": 416_792.62,
                "impressions": 1_773_984_426,
                "clicks": 300_004,
                "leads": 30_544,
                "sales": 14_927,
            }
        )
        assert result.campaigns() == ("1178", "916", "936")

    def test_what_is_left_out_is_said(self, result: ImportResult) -> None:
        assert result.unused_numbers == ("ad_id", "fb_campaign_id", "interest")
        codes = [note.code for note in result.warnings]
        assert NoteCode.NO_DATE_COLUMN in codes and NoteCode.TWO_COLUMNS in codes
        assert NoteCode.NO_SPEND not in codes


class TestNoSpendNeverGoesUnnoticed:
    def test_impressions_without_spend_say_so(self) -> None:
        result = read_history(b"date,impressions,clicks,Dinero\n2025-03-01,1000,10,12.5\n")
        assert [n.code for n in result.warnings].count(NoteCode.NO_SPEND) == 1
        assert result.unused_numbers == ("Dinero",)
        assert 'Not used: "Dinero" (numbers).' in " ".join(_said(result))

    def test_mapping_the_column_silences_both(self) -> None:
        data = b"date,impressions,clicks,Dinero\n2025-03-01,1000,10,12.5\n"
        result = read_history(data, mapping={"Dinero": "spend"})
        codes = [note.code for note in result.warnings]
        assert NoteCode.NO_SPEND not in codes and NoteCode.UNUSED_NUMBERS not in codes
        assert result.totals()["spend"] == 12.5

    def test_a_column_ignored_by_choice_is_not_listed(self) -> None:
        result = read_history(b"date,spend,ad id\n2025-03-01,5,123\n", mapping={"ad id": ""})
        assert result.unused_numbers == ()

    @pytest.mark.parametrize(
        ("cells", "listed"),
        [
            ("1.234,56 €", True),
            ("8,30 %", True),
            ("$12", True),
            ("-3", True),
            ("1e3", True),
            ("160 x 600", False),
            ("2025-03-01", False),
            ("abc", False),
            ("30-34", False),
        ],
    )
    def test_which_cells_are_numbers(self, cells: str, listed: bool) -> None:
        result = read_history(f'date;spend;other\n2025-03-01;5;"{cells}"\n'.encode())
        assert (result.unused_numbers == ("other",)) is listed


class TestResultsOfSeveralTypes:
    """Meta's "Resultados" holds a different result per row, named in "Indicador de
    resultado": read by type where a field is that result, and said either way."""

    def test_spanish_export_by_type(self) -> None:
        result = _read("meta_es_result_types.csv")
        # actions:lead 434 + lead_grouped 404; purchases 182; 558 conversations left out.
        assert result.totals()["leads"] == 838 and result.totals()["sales"] == 182
        assert result.totals()["spend"] == pytest.approx(6_412.28)
        assert "Resultados" not in result.mapping
        said = _said(result)
        assert (
            '"Resultados": 30 row(s) of type "actions:onsite_conversion.messaging_conversation'
            '_started_7d" were not used: no field of ours is that result.'
        ) in said
        assert '"Resultados": 30 row(s) of type "actions:lead" were read as leads.' in said
        assert result.unused_numbers == ("Coste por resultado",)

    def test_a_field_with_its_own_column_is_not_counted_twice(self) -> None:
        data = (
            b"Day,Amount spent (USD),Leads,Results,Result type\n"
            b"2025-09-01,10,4,4,Leads (form)\n"
            b"2025-09-01,20,0,7,Purchases\n"
            b"2025-09-02,30,0,9,Messaging conversations started\n"
        )
        result = read_history(data)
        assert result.totals()["leads"] == 4 and result.totals()["sales"] == 7
        assert (
            '"Results": 1 row(s) of type "Leads (form)" were not used: column "Leads" gives '
            "them already."
        ) in _said(result)

    def test_the_users_mapping_wins(self) -> None:
        data = b"Day,Spend,Results,Result indicator\n2025-09-01,10,4,actions:lead\n"
        result = read_history(data, mapping={"Results [leads]": "", "Results": "sales"})
        assert result.totals() == {"spend": 10, "sales": 4}


class TestPortugueseExports:
    """Meta and Google Ads export in Portuguese too: headers, decimal commas, month names."""

    def test_meta_brazil_quoted_decimal_commas_and_result_types(self) -> None:
        result = _read("meta_pt_br.csv")
        # Hand sums: 1.234,56 + 987,44 + 210,00 + 568,00; leads 40 + 25; one purchase row.
        assert result.totals() == pytest.approx(
            {
                "spend": 3_000.0,
                "impressions": 286_000,
                "reach": 193_000,
                "clicks": 3_540,
                "leads": 65,
                "sales": 12,
            }
        )
        assert (result.decimal, result.currency) == (",", "BRL")
        assert result.mapping["Valor usado (BRL)"] == "spend"
        assert "Conversas por mensagem iniciadas" in " ".join(_said(result))

    def test_google_ads_portuguese_utf16_preamble_total_and_currency_column(self) -> None:
        result = _read("google_ads_pt_utf16.csv")
        assert result.mapping == {
            "Dia": "date",
            "Campanha": "campaign",
            "Custo": "spend",
            "Impr.": "impressions",
            "Cliques": "clicks",
            "Conversões": "sales",
            "Valor conv.": "revenue",
        }
        assert result.totals() == pytest.approx(
            {
                "spend": 2_000.0,
                "impressions": 22_500,
                "clicks": 860,
                "sales": 21,
                "revenue": 3_150.0,
            }
        )
        assert _reasons(result) == [
            (1, "before the header"),
            (2, "before the header"),
            (6, "total row"),
        ]
        assert result.currency == "BRL"
        assert NoteCode.TOTAL_MISMATCH not in [note.code for note in result.warnings]

    def test_portuguese_month_names_and_headers(self) -> None:
        result = _read("generic_pt_monthnames.csv", today=date(2026, 12, 5))
        assert result.date_range() == (date(2025, 9, 1), date(2025, 12, 31))  # 31 Dec: not 2026
        assert result.totals() == pytest.approx({"spend": 1_230.75, "clicks": 457, "likes": 1_630})
        assert result.channels() == ("Facebook", "Instagram")
