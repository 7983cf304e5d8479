"""The client's report of one scenario, as a :class:`~roi_model.report.document.Document`.

In the order a finance director reads it: who and when; the headline figures (with their
P10–P90 from the ranges on the assumptions); the way from the investment to the net return;
the channels; what the best mix would add; the goals; what decides the ROI; the months ahead
(when it pays back, its key figures, the cumulative chart and the table month by month); the
measurement plan; and, in the appendix, every assumption with where it comes from. Every
number is the model's (:func:`~roi_model.model.evaluate.evaluate`, :func:`~roi_model.model.
uncertainty.simulate`, :func:`~roi_model.model.months.project`, ...), written by
:class:`~roi_model.words.Words` for the reader's locale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from roi_model.files.assumptions import (
    SAMPLE_DATA,
    Origin,
    assumption_sources,
    load_benchmarks,
    load_channel_defaults,
)
from roi_model.model.evaluate import Evaluation, evaluate
from roi_model.model.months import Projection, project
from roi_model.model.optimize import InfeasibleBudget, optimize_mix
from roi_model.model.plan import plan_table
from roi_model.model.spec import MONTHS_CHANNEL_FIELDS, Kind, Scenario
from roi_model.model.tables import return_waterfall
from roi_model.model.uncertainty import Simulation, band, sensitivity, simulate
from roi_model.model.vocabulary import kind_of
from roi_model.report import charts
from roi_model.report.document import (
    Block,
    Cell,
    CellKind,
    Chart,
    Document,
    Figure,
    Headline,
    Money,
    Paragraph,
    Table,
)
from roi_model.report.labels import input_label, payback_text
from roi_model.words import Words, key_for
from roi_model.words.numbers import currency_symbol, money_places, symbol_first

#: How many drivers the tornado shows: the ones a meeting talks about.
TOP_DRIVERS = 6
#: Chart width on an A4 page with its margins, and the waterfall's height.
CHART_WIDTH_MM = 180.0
WATERFALL_MM = 48.0
#: The months ahead's chart height; the printed table shows every month up to this many,
#: beyond it every third month (a quarter's end) and the last.
MONTHS_CHART_MM = 62.0
PRINTED_EVERY_MONTH = 24

_CELL_KINDS = {
    Kind.MONEY: CellKind.MONEY,
    Kind.PERCENT: CellKind.PERCENT,
    Kind.RATIO: CellKind.RATIO,
    Kind.COUNT: CellKind.COUNT,
    Kind.HOURS: CellKind.NUMBER,
}


@dataclass(frozen=True)
class Reader:
    """Who reads the report: their words and locale, the currency, the client and the day."""

    words: Words
    currency: str
    client: str
    made_on: datetime

    def cell(self, value: float | None, kind: Kind | CellKind) -> Cell:
        """A number as a cell: its text for this reader, the number and its kind."""
        cell_kind = kind if isinstance(kind, CellKind) else _CELL_KINDS[kind]
        number = None if value is None or not math.isfinite(value) else float(value)
        return Cell(self.text(number, cell_kind), number, cell_kind)

    def text(self, value: float | None, kind: CellKind) -> str:
        w = self.words
        if kind is CellKind.MONEY:
            return w.money(value, self.currency)
        if kind is CellKind.PERCENT:
            return w.percent(value)
        if kind is CellKind.RATIO:
            return w.ratio(value)
        if kind is CellKind.COUNT:
            return w.number(value)
        return w.number(value, decimals=2)

    def money_format(self) -> Money:
        code = self.words.locale
        return Money(
            code=self.currency,
            symbol=currency_symbol(self.currency, code),
            symbol_first=symbol_first(self.currency, code),
            places=money_places(1.0, self.currency),
        )

    def facts(self, scenario_text: str) -> tuple[tuple[str, str], ...]:
        t = self.words.t
        client = ((t("report.client"), self.client),) if self.client else ()
        return (
            *client,
            (t("report.scenario"), scenario_text),
            (t("report.date"), self.words.day(self.made_on)),
            (t("report.period"), t("report.per_month")),
        )


def scenario_report(
    scenario: Scenario,
    words: Words,
    *,
    made_on: datetime,
    client: str = "",
    preset: Scenario | None = None,
    draws: int = 10_000,
) -> Document:
    """The report of one scenario, in ``words``' language and locale.

    ``made_on`` is the report's date (the caller's clock: the report itself reads none);
    ``preset`` the preset the scenario started from, to tell its figures from the
    consultant's in the appendix; ``draws`` how many draws the ranges get.
    """
    reader = Reader(words, scenario.currency, client, made_on)
    evaluation = evaluate(scenario)
    simulation = simulate(scenario, draws) if scenario.uncertainty else None
    blocks: list[Block] = [
        headline(reader, evaluation, simulation),
        waterfall(reader, evaluation),
        channels_table(reader, evaluation),
        best_mix(reader, scenario),
    ]
    if scenario.goals:
        blocks.append(goals_table(reader, evaluation, simulation))
    blocks.append(drivers(reader, scenario, evaluation))
    blocks.extend(months_ahead(reader, scenario))
    blocks.append(plan(reader, scenario))
    return Document(
        language=html_language(words),
        title=words.t("report.title"),
        facts=reader.facts(scenario.name),
        blocks=tuple(blocks),
        appendix=assumptions(reader, scenario, preset),
        footer=footer_text(reader, scenario.name),
        money=reader.money_format(),
    )


def html_language(words: Words) -> str:
    """``es``, ``pt-BR``: the language and the country of the locale, as HTML writes it."""
    return words.locale.replace("_", "-") if words.language == "pt" else words.language


def footer_text(reader: Reader, scenario_text: str) -> str:
    parts = [reader.client, scenario_text, reader.words.day(reader.made_on)]
    return " · ".join(part for part in ["ROI Explorer", *parts] if part)


# --- Headline --------------------------------------------------------------------------------


def headline(reader: Reader, evaluation: Evaluation, simulation: Simulation | None) -> Headline:
    """Investment with its split, the returns by lens, both ROIs with their range, ROAS and the
    costs per lead and per sale."""
    t, inv, ret = reader.words.t, evaluation.investment, evaluation.returns
    money = reader.words.money
    cur = reader.currency
    split = t(
        "report.investment_split",
        ads=money(inv.ad_spend, cur),
        staff=money(inv.staff_cost, cur),
        fixed=money(inv.fixed_costs, cur),
    )
    lenses = " · ".join(
        f"{t(key_for('lens.{}', lens))} {money(getattr(ret, lens), cur)}"
        for lens in ("sales", "support", "leads", "engagement", "organic_traffic")
        if getattr(ret, lens)
    )
    figures = (
        Figure(t("kpi.investment"), reader.cell(inv.total, Kind.MONEY), split),
        Figure(t("kpi.return"), reader.cell(ret.full, Kind.MONEY), lenses),
        Figure(
            t("col.financial_return"),
            reader.cell(ret.financial, Kind.MONEY),
            t("report.financial_return_detail"),
        ),
        _roi_figure(reader, "financial", evaluation.financial_roi, simulation),
        _roi_figure(reader, "full", evaluation.full_roi, simulation),
        Figure(t("kpi.roas"), reader.cell(evaluation.roas, Kind.RATIO)),
        Figure(t("kpi.cost_per_lead"), reader.cell(evaluation.cost_per_lead, Kind.MONEY)),
        Figure(t("kpi.cost_per_sale"), reader.cell(evaluation.cost_per_sale, Kind.MONEY)),
    )
    return Headline(t("report.headline"), figures)


def _roi_figure(reader: Reader, objective: str, roi: float, sim: Simulation | None) -> Figure:
    w = reader.words
    label = w.t("kpi.financial_roi") if objective == "financial" else w.t("kpi.full_roi")
    if sim is None:
        return Figure(label, reader.cell(roi, Kind.PERCENT), w.t("report.no_ranges"))
    spread = band(sim, f"{objective}_roi")
    detail = w.t(
        "report.roi_band",
        low=w.percent(spread.p10),
        high=w.percent(spread.p90),
        chance=w.percent(spread.p_positive, decimals=0),
    )
    return Figure(label, reader.cell(roi, Kind.PERCENT), detail)


# --- Charts and tables -------------------------------------------------------------------------


def waterfall(reader: Reader, evaluation: Evaluation) -> Chart:
    t = reader.words.t
    steps = return_waterfall(evaluation, "full")
    bars = [
        (t(key_for("lens.{}", step)), float(amount))
        for step, amount in zip(steps["step"][:-1], steps["amount"][:-1], strict=True)
    ]
    svg = charts.waterfall_svg(
        bars,
        t("lens.net"),
        lambda v: reader.words.money(v, reader.currency),
        width_mm=CHART_WIDTH_MM,
    )
    return Chart(
        "waterfall", t("report.waterfall"), svg, CHART_WIDTH_MM, 62.0, t("report.waterfall_alt")
    )


def channels_table(reader: Reader, evaluation: Evaluation) -> Table:
    t, frame = reader.words.t, evaluation.channels
    columns = (
        ("spend", Kind.MONEY, "col.spend"),
        ("investment", Kind.MONEY, "col.investment"),
        ("full_return", Kind.MONEY, "col.full_return"),
        ("full_roi", Kind.PERCENT, "col.full_roi"),
        ("spend_share", Kind.PERCENT, "col.spend_share"),
        ("return_share", Kind.PERCENT, "channels.col.return_share"),
    )
    rows = tuple(
        (Cell.of_text(str(name)), *(reader.cell(float(row[c]), kind) for c, kind, _ in columns))
        for name, row in frame.iterrows()
    )
    total = (
        Cell.of_text(t("report.total")),
        reader.cell(float(frame["spend"].sum()), Kind.MONEY),
        reader.cell(float(frame["investment"].sum()), Kind.MONEY),
        reader.cell(float(frame["full_return"].sum()), Kind.MONEY),
        Cell.of_text(""),
        Cell.of_text(""),
        Cell.of_text(""),
    )
    return Table(
        key="channels",
        title=t("report.channels"),
        columns=(t("col.channel"), *(t(key) for _, _, key in columns)),
        rows=(*rows, total),
        note=t("report.channels_note"),
        sheet=t("report.sheet.channels"),
        emphasis=frozenset({len(rows)}),
    )


def best_mix(reader: Reader, scenario: Scenario) -> Paragraph:
    """What the best split of today's ad budget would add to the full-value return."""
    w, cur = reader.words, reader.currency
    title = w.t("report.best_mix")
    try:
        best = optimize_mix(scenario, "full")
    except (InfeasibleBudget, ValueError):
        return Paragraph("best_mix", title, w.t("report.best_mix_none"))
    if best.gain <= max(1e-6 * abs(best.before_return), 0.005):
        return Paragraph("best_mix", title, w.t("report.best_mix_same"))
    mix = best.mix_table()
    names = [str(name) for name in mix.index]
    before, after = (mix[c].to_numpy(dtype=float) for c in ("spend_before", "spend_after"))
    largest = np.argsort(-np.abs(after - before), kind="stable")[:3]
    shown = [
        w.t(
            "report.best_mix_move",
            channel=names[i],
            before=w.money(float(before[i]), cur),
            after=w.money(float(after[i]), cur),
        )
        for i in largest
        if abs(after[i] - before[i]) >= 0.005
    ]
    text = w.t(
        "report.best_mix_text",
        budget=w.money(best.budget, cur),
        before=w.money(best.before_return, cur),
        after=w.money(best.after_return, cur),
        gain=w.money(best.gain, cur),
        before_roi=w.percent(best.before_roi),
        after_roi=w.percent(best.after_roi),
        moves="; ".join(shown),
    )
    return Paragraph("best_mix", title, text)


def goals_table(reader: Reader, evaluation: Evaluation, simulation: Simulation | None) -> Table:
    t, goals = reader.words.t, evaluation.goals
    chances = simulation.goals["p_met"].tolist() if simulation is not None else None
    rows = []
    for index, goal in enumerate(goals.to_dict("records")):
        kind = kind_of(str(goal["metric"]))
        p_met = chances[index] if chances is not None else (1.0 if goal["met"] else 0.0)
        rows.append(
            (
                Cell.of_text(t(key_for("tier.{}", goal["tier"]))),
                Cell.of_text(t(key_for("metric.{}", goal["metric"]))),
                reader.cell(float(goal["target"]), kind),
                reader.cell(float(goal["value"]), kind),
                reader.cell(float(goal["attainment"]), Kind.PERCENT),
                Cell.of_text(t("report.met") if goal["met"] else t("report.not_met")),
                reader.cell(float(p_met), Kind.PERCENT),
            )
        )
    return Table(
        key="goals",
        title=t("report.goals"),
        columns=(
            t("col.tier"),
            t("col.metric"),
            t("col.target"),
            t("col.value"),
            t("col.attainment"),
            t("col.status"),
            t("report.chance_met"),
        ),
        rows=tuple(rows),
        note="" if simulation is not None else t("report.chance_without_ranges"),
        sheet=t("report.sheet.goals"),
    )


def drivers(reader: Reader, scenario: Scenario, evaluation: Evaluation) -> Block:
    """The tornado of the inputs that decide the full-value ROI, or why there is none."""
    t = reader.words.t
    if not scenario.uncertainty:
        return Paragraph("drivers", t("report.drivers"), t("report.drivers_none"))
    top = sensitivity(scenario).head(TOP_DRIVERS)
    height = charts.tornado_height_mm(len(top))
    svg = charts.tornado_svg(
        [input_label(reader.words, scenario, str(path)) for path in top["input"]],
        top["roi_full_at_low"].tolist(),
        top["roi_full_at_high"].tolist(),
        evaluation.full_roi,
        (t("report.at_low"), t("report.at_high")),
        lambda v: reader.words.percent(v, decimals=0),
        width_mm=CHART_WIDTH_MM,
        height_mm=height,
    )
    return Chart(
        "drivers", t("report.drivers"), svg, CHART_WIDTH_MM, height, t("report.drivers_alt")
    )


def plan(reader: Reader, scenario: Scenario) -> Table | Paragraph:
    t = reader.words.t
    if not scenario.plan:
        return Paragraph("plan", t("report.plan"), t("report.plan_none"))
    frame = plan_table(scenario.plan)
    keys = ("objective", "channel", "kpi", "tactics", "metrics", "tool", "cadence")
    rows = tuple(
        tuple(
            Cell.of_text(
                t(key_for("plan.cadence.{}", value)) if column == "cadence" else str(value)
            )
            for column, value in zip(keys, row, strict=True)
        )
        for row in frame.itertuples(index=False)
    )
    return Table(
        key="plan",
        title=t("report.plan"),
        columns=(
            t("plan.col.objective"),
            t("col.channel"),
            t("plan.col.kpi"),
            t("plan.col.tactics"),
            t("plan.col.metrics"),
            t("plan.col.tool"),
            t("plan.col.cadence"),
        ),
        rows=rows,
        sheet=t("report.sheet.plan"),
    )


# --- The months ahead ----------------------------------------------------------------------


def months_ahead(reader: Reader, scenario: Scenario) -> tuple[Block, ...]:
    """The months ahead: their key figures, the cumulative chart, and the table month by
    month (every month in the workbook; in print, a shorter one past two years)."""
    projection = project(scenario)
    return (
        months_figures(reader, projection, scenario.months.discount_rate),
        months_chart(reader, projection),
        *months_tables(reader, projection),
    )


def months_figures(reader: Reader, projection: Projection, discount_rate: float) -> Headline:
    """When it pays back each way, the full-value NPV, both ROIs at the horizon, and what a
    customer is worth against what one costs to win."""
    t, horizon = reader.words.t, projection.horizon
    paybacks = projection.payback_month
    worth = projection.customer_value
    cost = projection.acquisition_cost
    ratio = worth / cost if worth is not None and math.isfinite(cost) and cost > 0 else None
    figures = (
        Figure(
            t("months.kpi.payback_financial"),
            Cell.of_text(payback_text(reader.words, paybacks["financial"], horizon)),
        ),
        Figure(
            t("months.kpi.payback_full"),
            Cell.of_text(payback_text(reader.words, paybacks["full"], horizon)),
        ),
        Figure(
            t("months.kpi.npv"),
            reader.cell(projection.npv["full"], Kind.MONEY),
            t(
                "report.months.npv_detail",
                months=horizon,
                rate=reader.words.percent(discount_rate),
            ),
        ),
        Figure(
            t("months.kpi.value_to_cost"),
            reader.cell(ratio, Kind.RATIO) if worth is not None else _no_end(reader),
        ),
        Figure(
            t("months.kpi.roi_financial"), reader.cell(projection.roi["financial"], Kind.PERCENT)
        ),
        Figure(t("months.kpi.roi_full"), reader.cell(projection.roi["full"], Kind.PERCENT)),
        Figure(
            t("months.kpi.customer_value"),
            reader.cell(worth, Kind.MONEY) if worth is not None else _no_end(reader),
        ),
        Figure(t("months.kpi.acquisition_cost"), reader.cell(cost, Kind.MONEY)),
    )
    return Headline(t("months.title"), figures)


def _no_end(reader: Reader) -> Cell:
    """A customer who never leaves: a value without end."""
    return Cell.of_text(reader.words.t("report.months.no_end"))


def months_chart(reader: Reader, projection: Projection) -> Chart:
    t, months = reader.words.t, projection.months
    horizon = projection.horizon
    paybacks = projection.payback_month
    svg = charts.cumulative_svg(
        [int(m) for m in months["month"]],
        (
            months["cumulative_investment"].to_numpy(float).tolist(),
            months["cumulative_financial_return"].to_numpy(float).tolist(),
            months["cumulative_full_return"].to_numpy(float).tolist(),
        ),
        (
            t("months.series.investment"),
            t("months.series.financial"),
            t("months.series.full"),
        ),
        (
            (
                paybacks["financial"],
                t("report.months.payback_financial", month=paybacks["financial"] or 0),
            ),
            (paybacks["full"], t("report.months.payback_full", month=paybacks["full"] or 0)),
        ),
        lambda v: reader.words.money(v, reader.currency),
        lambda v: reader.words.number(v),
        width_mm=CHART_WIDTH_MM,
        height_mm=MONTHS_CHART_MM,
    )
    description = t(
        "report.months.chart_alt",
        months=horizon,
        financial=payback_text(reader.words, paybacks["financial"], horizon),
        full=payback_text(reader.words, paybacks["full"], horizon),
    )
    return Chart(
        "months_chart",
        t("months.chart_cumulative"),
        svg,
        CHART_WIDTH_MM,
        MONTHS_CHART_MM,
        description,
    )


def printed_months(horizon: int) -> list[int]:
    """The months the printed table shows: all up to two years; beyond, each quarter's end
    and the last month.

    >>> printed_months(3)
    [1, 2, 3]
    >>> printed_months(32)
    [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 32]
    """
    if horizon <= PRINTED_EVERY_MONTH:
        return list(range(1, horizon + 1))
    return sorted({*range(3, horizon + 1, 3), horizon})


def months_tables(reader: Reader, projection: Projection) -> tuple[Table, ...]:
    """The table month by month: one table, printed and in the workbook, up to two years;
    beyond, every month for the workbook alone and the quarters for the pages."""
    t, months = reader.words.t, projection.months
    columns = (
        t("col.month"),
        t("col.investment"),
        t("col.financial_return"),
        t("col.full_return"),
        t("report.months.col.cumulative_net"),
        t("report.months.col.cumulative_roi"),
    )
    rows = tuple(
        (
            reader.cell(float(row["month"]), CellKind.COUNT),
            reader.cell(float(row["investment"]), Kind.MONEY),
            reader.cell(float(row["financial_return"]), Kind.MONEY),
            reader.cell(float(row["full_return"]), Kind.MONEY),
            reader.cell(float(row["cumulative_full_net"]), Kind.MONEY),
            reader.cell(float(row["cumulative_full_roi"]), Kind.PERCENT),
        )
        for row in months.to_dict("records")
    )
    title = t("report.months.table")
    every = Table(
        key="months",
        title=title,
        columns=columns,
        rows=rows,
        note=t("report.months.table_note"),
        sheet=t("report.sheet.months"),
    )
    shown = printed_months(projection.horizon)
    if len(shown) == len(rows):
        return (every,)
    printed = Table(
        key="months_printed",
        title=title,
        columns=columns,
        rows=tuple(rows[month - 1] for month in shown),
        note=t("report.months.table_note_quarters", months=projection.horizon),
    )
    return (printed, replace(every, printed=False))


# --- Appendix: every assumption and where it comes from -------------------------------------


def assumptions(reader: Reader, scenario: Scenario, preset: Scenario | None) -> tuple[Table, ...]:
    """The investment and values with their source; the channels' figures side by side, each
    marked with its source's letter; and, for the workbook only, the tidy list of all."""
    sources = _without_unused_months(_sources(scenario, preset))
    general = sources[sources["channel"] == ""]
    per_channel = sources[sources["channel"] != ""]
    return (
        _general_assumptions(reader, general),
        _channel_assumptions(reader, scenario, per_channel),
        _all_assumptions(reader, scenario, sources),
    )


#: The inputs only the months ahead read, which a month's report leaves out while unused.
_MONTHS_INPUTS = frozenset({*MONTHS_CHANNEL_FIELDS, "follower"})


def _without_unused_months(sources: pd.DataFrame) -> pd.DataFrame:
    """The sources without the months-ahead inputs that are empty or 0 everywhere."""
    months = sources["field"].isin(_MONTHS_INPUTS)
    unused = sources["value"].fillna(0.0).astype(float) == 0.0
    used_fields = set(sources.loc[months & ~unused, "field"])
    return sources[~months | sources["field"].isin(used_fields)].reset_index(drop=True)


def _sources(scenario: Scenario, preset: Scenario | None) -> pd.DataFrame:
    defaults = load_channel_defaults(SAMPLE_DATA / "channel_defaults.csv")
    benchmarks = load_benchmarks(SAMPLE_DATA / "channel_benchmarks.csv")
    return assumption_sources(scenario, preset, defaults, benchmarks)


def _value_cell(reader: Reader, path: str, value: Any) -> Cell:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Cell.of_text(reader.words.t("report.none"))
    kind = kind_of(path)
    if kind is Kind.PERCENT:
        return Cell(reader.words.percent(float(value), decimals=2), float(value), CellKind.PERCENT)
    return reader.cell(float(value), kind)


def _origin_text(reader: Reader, origin: str, detail: str, periods: int) -> str:
    t = reader.words.t
    label = t(key_for("origin.{}", origin))
    if origin == Origin.HISTORY:
        months = reader.words.tn(
            "origin.history_months",
            "origin.history_months.plural",
            periods,
            months=reader.words.number(periods),
        )
        return f"{label}: {months}" + (f" · {detail}" if detail else "")
    return label + (f" ({detail})" if detail else "")


def _general_assumptions(reader: Reader, general: pd.DataFrame) -> Table:
    """The investment and values with their source, in two halves side by side: half the
    rows on the page."""
    t = reader.words.t
    cells = [
        (
            Cell.of_text(reader.words.field_label(str(row["path"]))),
            _value_cell(reader, str(row["path"]), row["value"]),
            Cell.of_text(_origin_text(reader, row["origin"], row["detail"], int(row["periods"]))),
        )
        for row in general.to_dict("records")
    ]
    half = (len(cells) + 1) // 2
    blank = (Cell.of_text(""),) * 3
    rows = tuple(
        left + (cells[half + i] if half + i < len(cells) else blank)
        for i, left in enumerate(cells[:half])
    )
    header = (t("col.field"), t("col.value"), t("col.origin"))
    return Table(
        key="assumptions",
        title=t("report.assumptions"),
        columns=header * 2,
        rows=rows,
    )


_MARKS = {
    Origin.BENCHMARK: "B",
    Origin.DEFAULT: "D",
    Origin.PRESET: "P",
    Origin.HISTORY: "H",
    Origin.USER: "C",
}


def _channel_assumptions(reader: Reader, scenario: Scenario, sources: pd.DataFrame) -> Table:
    """The channels' figures side by side, each with its source's letter (a benchmark's with
    the number of its citation: ``B2``); the letters and the citations are in the note."""
    t = reader.words.t
    citations = _citations(sources)
    names = list(scenario.channel_names)
    rows = []
    for field_name, group in sources.groupby("field", sort=False):
        cells = {str(r["channel"]): r for r in group.to_dict("records")}
        rows.append(
            (
                Cell.of_text(reader.words.field_label(str(field_name))),
                *(_marked(reader, cells[name], citations) for name in names),
            )
        )
    legend = " · ".join(
        f"{mark} = {t(key_for('origin.{}', origin.value))}" for origin, mark in _MARKS.items()
    )
    cited = "; ".join(f"B{number} {_short_citation(d)}" for d, number in citations.items())
    cited_text = t("report.benchmarks_cited", sources=cited) if citations else ""
    note = ". ".join(part for part in (legend, cited_text) if part)
    return Table(
        key="channel_assumptions",
        title=t("report.channel_assumptions"),
        columns=(t("col.field"), *names),
        rows=tuple(rows),
        note=note,
    )


def _citations(sources: pd.DataFrame) -> dict[str, int]:
    """Each benchmark cited, numbered from 1 in order of its short citation."""
    details = {str(d) for d in sources.loc[sources["origin"] == Origin.BENCHMARK, "detail"]}
    ordered = sorted(details, key=_short_citation)
    return {detail: number for number, detail in enumerate(ordered, start=1)}


def _short_citation(detail: str) -> str:
    """A benchmark's source as the page cites it: its title and year (``Title, 2024``); who
    quoted it stays in the workbook's list of assumptions."""
    title, _, year = detail.rpartition(", ")
    if not (year.isdigit() and title):
        return detail
    return f"{title.split(', ')[0]}, {year}"


def _marked(reader: Reader, source: dict[Any, Any], citations: dict[str, int]) -> Cell:
    cell = _value_cell(reader, str(source["path"]), source["value"])
    origin = Origin(str(source["origin"]))
    mark = _MARKS[origin]
    if origin is Origin.BENCHMARK:
        mark += str(citations[str(source["detail"])])
    return replace(cell, text=f"{cell.text} {mark}")


def _all_assumptions(reader: Reader, scenario: Scenario, sources: pd.DataFrame) -> Table:
    t = reader.words.t
    rows = tuple(
        (
            Cell.of_text(str(row.channel)),
            Cell.of_text(reader.words.field_label(str(row.path))),
            _value_cell(reader, str(row.path), row.value),
            Cell.of_text(t(key_for("origin.{}", str(row.origin)))),
            Cell.of_text(str(row.detail)),
        )
        for row in sources.itertuples()
    )
    return Table(
        key="all_assumptions",
        title=t("report.assumptions"),
        columns=(
            t("col.channel"),
            t("col.field"),
            t("col.value"),
            t("col.origin"),
            t("col.detail"),
        ),
        rows=rows,
        sheet=t("report.sheet.assumptions"),
        printed=False,
    )
