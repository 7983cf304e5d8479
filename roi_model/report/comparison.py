"""The client's report of a comparison: the scenarios side by side, each one's difference to
the base, and what changed in the inputs, as a :class:`~roi_model.report.document.Document`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from roi_model.model.compare import changes_table, comparison_table
from roi_model.model.evaluate import evaluate
from roi_model.model.spec import Scenario
from roi_model.report.build import Reader, footer_text, html_language
from roi_model.report.document import Cell, CellKind, Document, Table
from roi_model.report.labels import change_label, delta_text, input_text, metric_label, value_text
from roi_model.words import Words

_KINDS = {
    "money": CellKind.MONEY,
    "ratio": CellKind.RATIO,
    "percent": CellKind.PERCENT,
    "count": CellKind.COUNT,  # a payback month
}


def comparison_report(
    scenarios: Sequence[Scenario],
    labels: Sequence[str],
    words: Words,
    *,
    made_on: datetime,
    base: int = 0,
    client: str = "",
) -> Document:
    """The report of scenarios compared with the one at ``base``, in ``words``' language."""
    t = words.t
    reader = Reader(words, scenarios[base].currency, client, made_on)
    compared = " · ".join(labels)
    return Document(
        language=html_language(words),
        title=t("report.comparison_title"),
        facts=(
            *reader.facts(compared),
            (t("compare.base"), labels[base]),
        ),
        blocks=(
            side_by_side(words, scenarios, labels, base),
            *changes(words, scenarios, labels, base),
        ),
        appendix=(),
        footer=footer_text(reader, compared),
        money=reader.money_format(),
    )


def side_by_side(
    words: Words, scenarios: Sequence[Scenario], labels: Sequence[str], base: int
) -> Table:
    """One row per figure; per scenario its value, and beside each other scenario its
    difference to the base."""
    t = words.t
    table = comparison_table([evaluate(s) for s in scenarios], labels, base)
    count = len(labels)
    metrics = table["metric"].to_numpy()[::count]
    kinds = table["kind"].to_numpy()[::count]
    grid = {
        name: np.asarray(table[name].to_numpy()).reshape(-1, count).T
        for name in ("value", "diff", "diff_pct")
    }
    columns: list[str] = [t("col.metric")]
    cells: list[list[Cell]] = [[Cell.of_text(metric_label(words, str(m)))] for m in metrics]
    for i, (label, scenario) in enumerate(zip(labels, scenarios, strict=True)):
        columns.append(f"★ {label}" if i == base else label)
        for row, kind, value in zip(cells, kinds, grid["value"][i], strict=True):
            row.append(_value_cell(words, str(kind), float(value), scenario.currency))
        if i != base:
            columns.append(t("compare.delta", name=label))
            for row, kind, d, pct in zip(
                cells, kinds, grid["diff"][i], grid["diff_pct"][i], strict=True
            ):
                text = delta_text(words, str(kind), float(d), float(pct), scenario.currency)
                row.append(Cell(text, float(d) if np.isfinite(d) else None, _KINDS[str(kind)]))
    return Table(
        key="side_by_side",
        title=t("compare.side_by_side"),
        columns=tuple(columns),
        rows=tuple(tuple(row) for row in cells),
        note=t("report.comparison_note"),
        sheet=t("report.sheet.side_by_side"),
    )


def _value_cell(words: Words, kind: str, value: float, currency: str) -> Cell:
    number = value if np.isfinite(value) else None
    return Cell(value_text(words, kind, value, currency), number, _KINDS[kind])


def changes(
    words: Words, scenarios: Sequence[Scenario], labels: Sequence[str], base: int
) -> tuple[Table, ...]:
    """Per scenario but the base, the inputs in which it differs from the base."""
    t = words.t
    frame = changes_table(scenarios, labels, base)
    tables = []
    for i, label in enumerate(labels):
        if i == base:
            continue
        rows = frame[frame["scenario"] == label]
        tables.append(
            Table(
                key=f"changes_{i}",
                title=words.tn(
                    "compare.changes_of",
                    "compare.changes_of.plural",
                    len(rows),
                    name=label,
                    count=words.number(len(rows)),
                ),
                columns=(t("col.field"), t("compare.base_value"), t("compare.this_value")),
                rows=tuple(
                    (
                        Cell.of_text(change_label(words, str(f))),
                        Cell.of_text(input_text(words, b, str(f))),
                        Cell.of_text(input_text(words, v, str(f))),
                    )
                    for f, b, v in zip(
                        rows["field"], rows["base_value"], rows["value"], strict=True
                    )
                ),
                note="" if len(rows) else t("compare.no_changes"),
                sheet=_sheet_name(t("report.sheet.changes"), label),
            )
        )
    return tuple(tables)


def _sheet_name(prefix: str, label: str) -> str:
    """``Changes · Plan B``, cut to the 31 characters a sheet's name may have."""
    return f"{prefix} · {label}"[:31]
