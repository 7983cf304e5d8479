"""What happened: import a past campaign export, read how it was read, see its figures, and
turn it into the scenario's channel assumptions.

Every figure comes from :mod:`roi_model.files.imports.read`, :mod:`roi_model.model.history` and
:mod:`roi_model.model.calibrate`; this module asks, formats and draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import notices, state
from pages._ui.app.history_source import (
    CHANNEL,
    DATE_ORDER,
    HOURS,
    MAPPING,
    SOURCE,
    VERSION,
    Corrections,
    corrections,
    new_source,
    source_version,
)
from pages._ui.app.send_now import send_now
from pages._ui.charts.bars import bars, measure_rows
from pages._ui.i18n import N_, Nn_, display_key, error_message, key_for, t, tn
from pages._ui.widgets import shown_by_choice
from pages._ui.widgets.headings import section_heading
from pages._ui.widgets.html_table import shown_by_choice_tables
from pages._ui.widgets.kind_format import formatter
from pages._ui.widgets.lazy_expander import lazy_expander
from roi_model import Scenario
from roi_model.files.assumptions import SAMPLE_DATA
from roi_model.files.imports import (
    HISTORY_FIELDS,
    MAX_BYTES,
    ImportNote,
    ImportRefused,
    ImportResult,
    NoteCode,
    SkipReason,
    limits,
    read_history,
)
from roi_model.model.calibrate import (
    Estimate,
    calibrated_scenario,
    estimate_channels,
    estimates_table,
)
from roi_model.model.errors import ScenarioError
from roi_model.model.history import GROUPS, filtered, months, summary, total, with_staff_hours
from roi_model.model.vocabulary import Kind, kind_of

_UPLOADER = "history_uploader"  # bumped once an upload is taken: the next uploader is empty
NOTICES = "history_notices"
SAMPLE = SAMPLE_DATA / "history" / "shop_history.csv"
IGNORE = ""
_MEMO = "history_import"  # (key, result) of the last import
_ESTIMATES = "history_estimates"  # (import key, estimates): a big file takes most of a second
_CHOICES = "history_choices"  # (import key, (date span, channels, campaigns)) the filters offer
_ROWS = "history_rows"  # (key, rows with their staff hours, filtered)
_FIGURES = "history_figures"  # (key, Figures) of the filtered rows
GROUPING = "history_group"  # the grouping control's key: the page's CSS follows its choice
_FOR_GROUP = "for-group"  # the class of a part drawn for one grouping
_GROUPED = "history_grouped"  # (key, {grouping: the filtered rows summed per group, as shown})
_MONTHS = "history_months"  # (import key, the months of the rows) for the hours editor
#: The sums and figures shown per group, in order, each in its own unit (its kind).
_SHOWN = (
    "spend",
    "staff_cost",
    "investment",
    "revenue",
    "financial_return",
    "full_return",
    "cost_per_lead",
    "cost_per_sale",
    "impressions",
    "clicks",
    "leads",
    "sales",
    "cpm",
    "ctr",
    "roas",
    "financial_roi",
    "full_roi",
)
#: The audience's columns, shown after those when the history gives them: the followers won,
#: and the audience at the group's end (never a sum: see roi_model.model.history).
_AUDIENCE = ("new_followers", "followers")
#: Follows per impression are a few in ten thousand: two decimals of a percent would round
#: them to nothing.
_PERCENT_DECIMALS = {"follow_rate": 3}


# --- The file ----------------------------------------------------------------------------


def source_picker() -> tuple[str, bytes] | None:
    """An uploaded export, or the sample history; kept until another one is chosen.

    An upload is taken into the page's own state and the uploader emptied: Streamlit copies a
    widget's value on every rerun, and a 100 MB upload made each click on the page cost most
    of a second. The file being looked at is named below instead.
    """
    generation = st.session_state.get(_UPLOADER, 0)
    upload = st.file_uploader(
        t("history.upload"),
        type=["csv", "tsv", "txt", "xlsx"],
        help=t("history.upload_help"),
        key=f"history_upload_{generation}",
        max_upload_size=MAX_BYTES // 2**20,
    )
    if upload is not None:
        new_source(upload.name, upload.getvalue())
        st.session_state[_UPLOADER] = generation + 1
        st.rerun()
    if st.button(t("history.sample"), icon=":material/dataset:", key="history_sample"):
        new_source(SAMPLE.name, SAMPLE.read_bytes(), sample=True)
    source: tuple[str, bytes] | None = st.session_state.get(SOURCE)
    if source is not None:
        st.caption(t("history.looking_at", name=source[0], size=fmt.file_size(len(source[1]))))
    return source


def _read(data: bytes, name: str, corrections: Corrections) -> Any:
    """The file read with a progress bar (a big export takes seconds), or why it was refused."""
    bar = st.progress(0.0, text=t("history.reading", name=name))

    def advance(done: float) -> None:
        bar.progress(min(max(done, 0.0), 1.0))

    try:
        return read_history(
            data,
            filename=name,
            channel=corrections.channel,
            mapping=dict(corrections.mapping) or None,
            date_order=corrections.date_order,
            progress=advance,
        )
    except ImportRefused as refusal:
        return refusal
    finally:
        bar.empty()


def refusal_bounds() -> dict[str, str]:
    """The importer's bounds, as the refusals name them, in the locale's numbers."""
    return {
        "size": f"{fmt.number(limits.MAX_PART_BYTES / 2**20)} MB",
        "columns_max": fmt.number(limits.MAX_COLUMNS),
        "line_max": fmt.number(limits.MAX_LINE_CHARS),
        "cell_max": fmt.number(limits.MAX_CELL_CHARS),
        "rows_max": fmt.number(limits.MAX_ROWS),
        "cells_max": fmt.number(limits.MAX_CELLS),
        "texts_max": fmt.number(limits.MAX_SHARED_STRINGS),
        "inflation": fmt.number(limits.MAX_INFLATION),
    }


def imported(source: tuple[str, bytes]) -> ImportResult | None:
    """The import of the chosen file (read again only when the file or the user's corrections
    change), or None after saying why it was refused."""
    name, data = source
    key = (source_version(), corrections())
    result = _remembered(_MEMO, key, lambda: _read(data, name, key[1]))
    if isinstance(result, ImportRefused):
        found = ", ".join(result.found_columns) or fmt.UNDEFINED
        problem = key_for("history.refused.{}", result.problem.value)
        said = t(problem, name=name, columns=found, **refusal_bounds())
        st.error(said)
        return None
    assert isinstance(result, ImportResult)
    return result


# --- How it was read -----------------------------------------------------------------------


def report(result: ImportResult) -> None:
    """Rows, skipped lines, dates and channels; then every assumption and correction."""
    span = result.date_range()
    counts = (("rows", len(result.rows)), ("skipped", len(result.skipped)))
    for column, (name, value) in zip(st.columns(4)[:2], counts, strict=True):
        with column, st.container(key=f"history_count_{name}"):
            st.metric(t(key_for("history.{}", name)), fmt.number(value), border=True)
    dates = f"{span[0]} → {span[1]}" if span else fmt.UNDEFINED
    st.caption(
        t(
            "history.span",
            dates=dates,
            channels=", ".join(c for c in result.channels() if c) or fmt.UNDEFINED,
        )
    )
    _channel_choice(result)
    _date_order_choice(result)
    unnoticed = [note for note in result.warnings if note.code in _MUST_SEE]
    if unnoticed:
        st.warning(
            "\n".join([t("history.check_reading"), *(f"- {_note_text(n)}" for n in unnoticed)]),
            icon=":material/warning:",
        )
    # drawn only while open (a data grid redrawn on every change of grouping costs it dearly);
    # it opens by itself for a file with something to check, each file anew
    with lazy_expander(
        t("history.how_read"),
        f"history_how_read_{source_version()}",
        ":material/fact_check:",
        opened=bool(unnoticed),
    ) as is_open:
        if is_open:
            _how_read(result, unnoticed)


def _how_read(result: ImportResult, unnoticed: list[ImportNote]) -> None:
    """What the importer detected, each column's field (correctable), its notes, the rows
    it skipped."""
    st.caption(
        t(
            "history.detected",
            encoding=result.encoding,
            delimiter={"\t": "tab", ",": ",", ";": ";"}.get(result.delimiter, result.delimiter),
            decimal=result.decimal,
            order=t(key_for("history.order.{}", result.date_order))
            if result.date_order
            else fmt.UNDEFINED,
            currency=result.currency or fmt.UNDEFINED,
        )
    )
    _mapping_editor(result)
    others = [note for note in result.warnings if note not in unnoticed]  # said above
    if others:
        st.markdown(t("history.warnings"))
        st.markdown("\n".join(f"- {_note_text(note)}" for note in others))
    if result.skipped:
        skipped = pd.DataFrame(
            {
                t("history.line"): [s.line for s in result.skipped],
                t("history.reason"): [_skip_reason(s.reason) for s in result.skipped],
            }
        )
        st.dataframe(skipped, hide_index=True, width="stretch", key="history_skipped")


def _skip_reason(reason: str) -> str:
    """The importer's reason in the user's language (a reason it adds later shows as it is)."""
    known = {r.value: r.name.lower() for r in SkipReason}
    return t(key_for("history.skip.{}", known[reason])) if reason in known else reason


def _note_text(note: ImportNote) -> str:
    """An ``ImportNote`` in the user's language: fields by this page's names, amounts and
    counts for the locale, line numbers as they are (a note added later shows in English)."""
    values = {
        name: t(key_for("history.field.{}", value))
        if name == "field"
        else fmt.number(value, decimals=2)
        if isinstance(value, float)
        else fmt.number(value)
        if isinstance(value, int) and name not in ("line", "year")
        else value
        for name, value in note.params
    }
    if note.code in _COUNTED_NOTES:
        (key, plural_key), counted = _COUNTED_NOTES[note.code]
        return tn(key, plural_key, int(note.params_dict()[counted]), **values)
    if note.code in _NOTE_TEXTS:
        return t(_NOTE_TEXTS[note.code], **values)
    return str(note)  # a note added later shows in English until it has words


_NOTE_TEXTS: dict[NoteCode, str] = {
    NoteCode.NO_CHANNEL: N_("history.note.no_channel"),
    NoteCode.CHANNEL_NOT_USED: N_("history.note.channel_not_used"),
    NoteCode.NO_DATE_COLUMN: N_("history.note.no_date_column"),
    NoteCode.TOTAL_MISMATCH: N_("history.note.total_mismatch"),
    NoteCode.DECIMAL_ASSUMED: N_("history.note.decimal_assumed"),
    NoteCode.DAY_FIRST_ASSUMED: N_("history.note.day_first_assumed"),
    NoteCode.MONTH_FIRST_ASSUMED: N_("history.note.month_first_assumed"),
    NoteCode.TWO_COLUMNS: N_("history.note.two_columns"),
    NoteCode.MAPPED_COLUMN_MISSING: N_("history.note.mapped_column_missing"),
    NoteCode.VISITS_AS_CLICKS: N_("history.note.visits_as_clicks"),
    NoteCode.DAY_FIRST_CHOSEN: N_("history.note.day_first_chosen"),
    NoteCode.MONTH_FIRST_CHOSEN: N_("history.note.month_first_chosen"),
    NoteCode.WIDE_BY_CHANNEL: N_("history.note.wide_by_channel"),
    NoteCode.YEAR_ASSUMED: N_("history.note.year_assumed"),
    NoteCode.NO_SPEND: N_("history.note.no_spend"),
    NoteCode.UNUSED_NUMBERS: N_("history.note.unused_numbers"),
}
# Notes about a number of rows: the key, its plural and the value that counts.
_COUNTED_NOTES: dict[NoteCode, tuple[tuple[str, str], str]] = {
    NoteCode.DUPLICATES_KEPT: (
        Nn_("history.note.duplicates_kept", "history.note.duplicates_kept.plural"),
        "count",
    ),
    NoteCode.DUPLICATES_DROPPED: (
        Nn_("history.note.duplicates_dropped", "history.note.duplicates_dropped.plural"),
        "count",
    ),
    NoteCode.RESULT_TYPE_USED: (
        Nn_("history.note.result_type_used", "history.note.result_type_used.plural"),
        "rows",
    ),
    NoteCode.RESULT_TYPE_TAKEN: (
        Nn_("history.note.result_type_taken", "history.note.result_type_taken.plural"),
        "rows",
    ),
    NoteCode.RESULT_TYPE_NOT_USED: (
        Nn_("history.note.result_type_not_used", "history.note.result_type_not_used.plural"),
        "rows",
    ),
}


# Notes shown outside the folded "how it was read": a spend the vocabulary missed must not go
# unnoticed, whatever else the file says.
_MUST_SEE = frozenset({NoteCode.NO_SPEND, NoteCode.UNUSED_NUMBERS})
_UNDECIDED_DATES = frozenset(
    {
        NoteCode.DAY_FIRST_ASSUMED,
        NoteCode.MONTH_FIRST_ASSUMED,
        NoteCode.DAY_FIRST_CHOSEN,
        NoteCode.MONTH_FIRST_CHOSEN,
    }
)


def _date_order_choice(result: ImportResult) -> None:
    """Dates such as 03/04/2025 that the file cannot settle: the user says how to read them."""
    example = next(
        (n.params_dict()["example"] for n in result.warnings if n.code in _UNDECIDED_DATES), None
    )
    if example is None:
        return
    st.radio(
        t("history.date_order", example=example),
        ["dmy", "mdy"],
        format_func=lambda order: t(key_for("history.order.{}", order)),
        horizontal=True,
        help=t("history.date_order_help"),
        **state.bind(
            "history_date_order_pick", lambda: result.date_order or "dmy", _set_date_order
        ),
    )


def _set_date_order(order: str) -> None:
    st.session_state[DATE_ORDER] = order


def _channel_choice(result: ImportResult) -> None:
    """A file without a channel column gets one from the user."""
    if "channel" in result.mapping.values():
        return
    names = list(
        dict.fromkeys([*state.current_scenario()[0].channel_names, *state.channel_defaults().index])
    )
    st.selectbox(
        t("history.assign_channel"),
        names,
        index=None,
        placeholder=t("history.assign_placeholder"),
        **state.bind("history_channel_pick", lambda: st.session_state.get(CHANNEL), _set_channel),
    )


def _set_channel(name: str | None) -> None:
    st.session_state[CHANNEL] = name


def _mapping_editor(result: ImportResult) -> None:
    """Each source column and the field it was read as; any can be corrected."""
    fields = {t("history.ignore"): IGNORE} | {
        t(key_for("history.field.{}", f)): f
        for f in ("date", "channel", "campaign", *HISTORY_FIELDS)
    }
    labels = {value: label for label, value in fields.items()}
    columns = list(dict.fromkeys([*result.columns, *result.mapping]))  # unmapped ones too
    frame = pd.DataFrame(
        {
            "column": columns,
            "field": [labels[result.mapping.get(c, IGNORE)] for c in columns],
            "holds": [
                t("history.unused_mark") if c in result.unused_numbers else "" for c in columns
            ],
        }
    )
    key = state.editor_key("history_mapping_editor")
    st.data_editor(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        disabled=["column", "holds"],
        column_config={
            "column": st.column_config.TextColumn(t("history.source_column")),
            "field": st.column_config.SelectboxColumn(
                t("history.our_field"), options=list(fields), required=True
            ),
            "holds": st.column_config.TextColumn(t("history.holds")),
        },
        on_change=_correct_mapping,
        args=(key, frame, fields),
    )


def _correct_mapping(key: str, frame: pd.DataFrame, fields: dict[str, str]) -> None:
    rows = state.edited_rows(key, frame)
    corrected = dict(st.session_state.get(MAPPING, {}))
    corrected |= {str(r["column"]): fields.get(str(r["field"]), IGNORE) for r in rows}
    st.session_state[MAPPING] = corrected
    state.bump_editors()


# --- What happened -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Filters:
    channels: tuple[str, ...]
    campaigns: tuple[str, ...]
    start: date | None
    end: date | None


@dataclass(frozen=True)
class _Figures:
    """What the page shows of the filtered rows whatever the grouping: the whole, and per month
    (None when no row has a date)."""

    whole: pd.Series
    months: pd.DataFrame | None


def figures(result: ImportResult, scenario: Scenario) -> None:
    """The history filtered and summed per channel, campaign or month.

    The rows and their sums are kept between reruns and worked out again only when the hours,
    the filters, the grouping or the scenario's values change.
    """
    hours = _hours_per_month(result, scenario)
    chosen = _filters(result)
    rows_key = (_import_key(), hours, chosen)
    rows = _remembered(_ROWS, rows_key, lambda: _filtered_rows(result, hours, chosen))
    if rows.empty:
        st.info(t("history.no_rows"))
        return
    values, lenses, rate = scenario.values, scenario.lenses, scenario.investment.hourly_rate
    key = (rows_key, values, lenses, rate)
    worked_out = _remembered(_FIGURES, key, lambda: _figures(rows, scenario))
    _headline(worked_out.whole, scenario.currency)
    _grouped(rows, worked_out, key, scenario)
    if worked_out.months is not None:
        _trend(worked_out.months, scenario.currency)


@st.fragment
def _grouped(rows: pd.DataFrame, worked_out: _Figures, key: object, scenario: Scenario) -> None:
    """The grouping, its table and its chart: a change of grouping reruns this part only, not
    the filters, the totals and the trend above and below it, which it does not change.

    Every grouping's table is drawn at once, the chosen one's shown the moment it is pressed
    (:mod:`pages._ui.widgets.shown_by_choice`); the rerun draws the chosen grouping's chart.
    """
    # required: a second click on the chosen grouping keeps it (it used to unselect it, and
    # the table fell back to per channel with no option marked)
    group = (
        st.segmented_control(
            t("history.group"),
            GROUPS,
            format_func=lambda g: t(key_for("history.by.{}", g)),
            default="channel",
            key=GROUPING,
            required=True,
        )
        or "channel"
    )
    grouped = {g: _grouping(rows, worked_out, key, scenario, g) for g in GROUPS}
    # HTML tables, not data grids: a grid in this panel cost each change of grouping about an
    # eighth of its time in the browser, and its sorting sorted the formatted texts
    shown_by_choice_tables(
        [shown for _, shown in grouped.values()],
        "history_table",
        [shown_by_choice.marked(_FOR_GROUP, i) for i in range(len(GROUPS))],
        shown_by_choice.rules(GROUPING, _FOR_GROUP, len(GROUPS)),
        tall=True,
    )
    rate = scenario.investment.hourly_rate
    st.caption(t("history.valued", rate=fmt.money(rate, scenario.currency)))
    if group != "month":
        _compared(grouped[group][0], group)


def _grouping(
    rows: pd.DataFrame, worked_out: _Figures, key: object, scenario: Scenario, group: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The filtered rows summed per ``group``, and their texts: kept while the rows, the
    values, the currency and the language stay the same (each grouping is summed once)."""
    by_group: dict[tuple[str, str, str], tuple[pd.DataFrame, pd.DataFrame]] = _remembered(
        _GROUPED, key, dict
    )
    cur = scenario.currency
    shown_key = (group, cur, display_key())
    if shown_key not in by_group:
        table = worked_out.months if group == "month" else None  # the trend's, summed already
        if table is None:
            rate = scenario.investment.hourly_rate
            table = summary(rows, scenario.values, scenario.lenses, by=(group,), hourly_rate=rate)
        by_group[shown_key] = (table, _shown(table, group, cur))
    return by_group[shown_key]


def _filtered_rows(
    result: ImportResult, hours: Mapping[pd.Timestamp, float] | None, chosen: _Filters
) -> pd.DataFrame:
    rows = result.rows if hours is None else with_staff_hours(result.rows, hours)
    return filtered(
        rows,
        channels=chosen.channels,
        campaigns=chosen.campaigns,
        start=chosen.start,
        end=chosen.end,
    )


def _figures(rows: pd.DataFrame, scenario: Scenario) -> _Figures:
    values, lenses, rate = scenario.values, scenario.lenses, scenario.investment.hourly_rate
    dated = not rows["date"].isna().all()
    return _Figures(
        whole=total(rows, values, lenses, hourly_rate=rate),
        months=summary(rows, values, lenses, by=("month",), hourly_rate=rate) if dated else None,
    )


def _compared(table: pd.DataFrame, group: str) -> None:
    """Financial and full-value ROI of each channel or campaign, side by side."""
    st.markdown(f"**{t(key_for('history.compared.{}', group))}**")
    send_now()  # the table above reaches the browser while the charts below are worked out
    data = measure_rows(
        pd.Index(_group_labels(table[group], group)),
        {t("col.financial_roi"): table["financial_roi"], t("col.full_roi"): table["full_roi"]},
        fmt.percent,
    )
    bars(data, t("channels.roi"), "history_compared", percent=True)


def _hours_per_month(result: ImportResult, scenario: Scenario) -> dict[pd.Timestamp, float] | None:
    """The staff hours entered per month, when the file gives none (None when it does)."""
    if "staff_hours" in result.fields() or result.date_range() is None:
        return None
    known = _remembered(_MONTHS, _import_key(), lambda: months(result.rows))
    entered: dict[pd.Timestamp, float] = st.session_state.get(HOURS, {}).get(source_version(), {})
    default = scenario.investment.staff_hours
    hours = {month: float(entered.get(month, default)) for month in known}
    # the editor is drawn only while its panel is open: a data grid in this panel was drawn
    # again on every change of grouping or filter
    label = t("history.hours_title")
    with lazy_expander(label, "history_hours_panel", ":material/schedule:") as is_open:
        if is_open:
            hours = _hours_editor(hours, default)
    st.session_state[HOURS] = {source_version(): hours}  # kept across page switches
    return hours


def _hours_editor(hours: dict[pd.Timestamp, float], default: float) -> dict[pd.Timestamp, float]:
    """The staff hours of each month, as entered so far; the months' hours as edited."""
    st.caption(t("history.hours_caption", hours=fmt.number(default, decimals=1)))
    known = list(hours)
    frame = pd.DataFrame(
        {"month": [m.strftime("%Y-%m") for m in known], "hours": list(hours.values())}
    )
    edited = st.data_editor(
        frame,
        hide_index=True,
        disabled=["month"],
        key=f"history_hours_{source_version()}",
        column_config={
            "month": st.column_config.TextColumn(t("history.month")),
            "hours": st.column_config.NumberColumn(
                t("history.hours"), min_value=0.0, format="%.1f", required=True
            ),
        },
    )
    return dict(zip(known, edited["hours"].fillna(0.0).astype(float), strict=True))


def _filters(result: ImportResult) -> _Filters:
    span, channel_names, campaign_names = _remembered(
        _CHOICES,
        _import_key(),
        lambda: (result.date_range(), result.channels(), result.campaigns()),
    )
    dates, channels_box, campaigns_box = st.columns([2, 3, 3])
    start = end = None
    if span is not None:
        chosen = dates.date_input(
            t("history.filter_dates"),
            value=span,
            min_value=span[0],
            max_value=span[1],
            key="history_dates",
        )
        picked = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
        start, end = (picked[0], picked[-1]) if picked else (None, None)  # mid-pick: one day
    channels = channels_box.multiselect(
        t("history.filter_channels"),
        channel_names,
        key="history_channels",
        placeholder=t("history.all"),
    )
    campaigns = campaigns_box.multiselect(
        t("history.filter_campaigns"),
        campaign_names,
        key="history_campaigns",
        placeholder=t("history.all"),
    )
    return _Filters(tuple(channels), tuple(campaigns), start, end)


def _trend(months: pd.DataFrame, cur: str) -> None:
    """Month by month: the investment against the financial and full-value return."""
    data = measure_rows(
        pd.Index(_group_labels(months["month"], "month")),
        {
            t("history.col.investment"): months["investment"],
            t("history.col.financial_return"): months["financial_return"],
            t("history.col.full_return"): months["full_return"],
        },
        lambda v: fmt.money(v, cur),
    )
    st.markdown("**" + t("history.trend") + "**")
    bars(data, t("col.amount"), "history_trend", percent=False, currency=cur)


def _headline(whole: pd.Series, currency: str) -> None:
    shown = (
        ("investment", fmt.money(whole["investment"], currency)),
        ("full_return", fmt.money(whole["full_return"], currency)),
        ("financial_roi", fmt.percent(whole["financial_roi"])),
        ("full_roi", fmt.percent(whole["full_roi"])),
    )
    for column, (name, value) in zip(st.columns(4), shown, strict=True):
        with column, st.container(key=f"history_total_{name}"):
            st.metric(t(key_for("col.{}", name)), value, border=True)


def _shown(table: pd.DataFrame, group: str, currency: str) -> pd.DataFrame:
    """The table's texts, each group's label as the index."""
    index = pd.Index(_group_labels(table[group], group), name=t(key_for("history.by.{}", group)))
    out: dict[str, Any] = {}
    audience = [name for name in _AUDIENCE if table[name].notna().any()]
    for name in (*_SHOWN, *audience):
        kind = kind_of(name)
        # counts are the importer's fields, titled as the mapping editor names them
        if kind is Kind.COUNT:
            title = t(key_for("history.field.{}", name))
        else:
            title = t(key_for("history.col.{}", name))
        show = formatter(kind, currency)
        out[title] = [show(v) for v in table[name]]
    return pd.DataFrame(out, index=index)


def _group_labels(values: pd.Series, group: str) -> list[str]:
    if group == "month":
        return [pd.Timestamp(v).strftime("%Y-%m") for v in values]
    return [str(v) or fmt.UNDEFINED for v in values]


# --- Calibrate -----------------------------------------------------------------------------


def calibration(result: ImportResult, scenario: Scenario) -> None:
    """Each estimate beside today's assumption; "Use these numbers" takes the chosen ones."""
    section_heading(N_("history.calibrate"))
    st.caption(t("history.calibrate_caption"))
    notices.show(NOTICES)
    estimates = _estimates(result)
    table = estimates_table(estimates, scenario)
    usable = table[~table["fallback"] & table["in_scenario"]]
    _not_estimated(table[table["fallback"] & table["in_scenario"]])
    if usable.empty:
        st.info(t("history.nothing_to_calibrate"))
        return
    shown = _estimates_shown(usable, scenario.currency)
    use = t("history.take")
    edited = st.data_editor(
        shown.assign(**{use: True}),
        hide_index=True,
        width="stretch",
        disabled=list(shown.columns),
        key=f"history_estimates_{st.session_state.get(VERSION)}",
        column_config={use: st.column_config.CheckboxColumn(use, help=t("history.take_help"))},
    )
    taken = edited[use].to_numpy(dtype=bool)
    if st.button(
        t("history.use"),
        icon=":material/auto_fix_high:",
        type="primary",
        key="history_use",
        disabled=not taken.any(),
    ):
        picked = usable[taken]
        chosen = list(zip(picked["channel"], picked["field"], strict=True))
        source = st.session_state.get(SOURCE, ("", b""))[0]
        try:
            calibrated = calibrated_scenario(scenario, estimates, chosen, source=source)
        except ScenarioError as error:  # the figures and the scenario's other inputs disagree
            names = scenario.channel_names
            st.error(t("history.not_used", reason=error_message(error, names)))
            return
        name = t("history.calibrated_name", name=scenario.name)
        state.load_scenario_into_draft(replace(calibrated, name=name))
        used = tn(
            "history.used",
            "history.used.plural",
            len(chosen),
            name=name,
            count=fmt.number(len(chosen)),
        )
        notices.post(NOTICES, "ok", used)
        st.rerun()


def _not_estimated(table: pd.DataFrame) -> None:
    """The scenario's assumptions the history cannot back, and why: they stay as they are."""
    if table.empty:
        return
    kept = tn(
        "history.kept_as_is", "history.kept_as_is.plural", len(table), count=fmt.number(len(table))
    )
    every_channel = t("history.all_channels")
    with st.expander(kept, icon=":material/info:"):
        st.markdown(
            "\n".join(
                f"- {channel or every_channel} · "
                f"{t(key_for('history.estimate.{}', field))}: "
                f"{t(key_for('history.basis.{}', note))}"
                for channel, field, note in zip(
                    table["channel"], table["field"], table["note"], strict=True
                )
            )
        )


def _estimates(result: ImportResult) -> tuple[Estimate, ...]:
    """The calibration of the import on the page, worked out once per import, not per rerun."""
    return _remembered(_ESTIMATES, _import_key(), lambda: estimate_channels(result.rows))


_T = TypeVar("_T")


def _remembered(slot: str, key: object, work_out: Callable[[], _T]) -> _T:
    """The value kept in ``slot`` for ``key``, worked out again only when the key changes.

    A million-row history takes seconds to import and a second to sum up; a click elsewhere on
    the page must not redo either. One value per slot: the page shows one history at a time.
    """
    memo = st.session_state.get(slot)
    if memo is None or memo[0] != key:
        memo = (key, work_out())
        st.session_state[slot] = memo
    value: _T = memo[1]
    return value


def _import_key() -> object:
    """What the import on the page was read from: the file and the user's corrections."""
    return st.session_state[_MEMO][0]


def _estimates_shown(table: pd.DataFrame, currency: str) -> pd.DataFrame:
    def value(field: str, number: float) -> str:
        kind = kind_of(field)
        if kind is Kind.MONEY:
            return fmt.money(number, currency)
        if kind is Kind.COUNT:
            return fmt.number(number)
        return fmt.percent(number, decimals=_PERCENT_DECIMALS.get(field, 2))

    def between(field: str, low: float, high: float) -> str:
        if pd.isna(low) or pd.isna(high):
            return fmt.UNDEFINED
        return t("history.between", low=value(field, low), high=value(field, high))

    fields = table["field"]
    return pd.DataFrame(
        {
            t("col.channel"): [c or t("history.all_channels") for c in table["channel"]],
            t("history.assumption"): [t(key_for("history.estimate.{}", f)) for f in table["field"]],
            t("history.from_history"): [
                value(f, v) for f, v in zip(table["field"], table["estimate"], strict=True)
            ],
            t("history.today"): [
                value(f, v) for f, v in zip(table["field"], table["current"], strict=True)
            ],
            t("history.months"): [fmt.number(p) for p in table["periods"]],
            t("history.range"): [
                between(f, lo, hi)
                for f, lo, hi in zip(fields, table["low"], table["high"], strict=True)
            ],
            t("history.basis"): [t(key_for("history.basis.{}", n)) for n in table["note"]],
        }
    )
