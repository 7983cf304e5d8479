"""Excel exports (.xlsx): typed cells and text cells alike, a title block and a total row."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from roi_model.files.imports import ImportProblem, ImportRefused, SkipReason, read_history

HEADER = [
    "Día",
    "Nombre de la campaña",
    "Importe gastado (EUR)",
    "Impresiones",
    "Alcance",
    "Clics en el enlace",
    "Resultados",
    "Compras",
    "Valor de conversión de compras",
]


def meta_workbook() -> bytes:
    """A Meta Ads Manager report saved as Excel in Spanish: two title lines and a blank one,
    real dates (one a datetime), numbers typed or as Spanish text, a placeholder and a total."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Informe de anuncios de Meta"])
    sheet.append(["1 mar 2025 - 3 mar 2025"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append([dt.date(2025, 3, 1), "Primavera", 12.5, 1000, 800, 20, None, 1, 45.0])
    sheet.append([dt.datetime(2025, 3, 2, 0, 0), "Primavera", 30.25, 2500, 1900, 41, None, 2, 90.5])
    sheet.append([dt.date(2025, 3, 3), "Primavera", "1.234,50", "3.000", 2000, "--", None, 0, 0])
    sheet.append(["Total", None, 1277.25, 6500, 4700, 61, None, 3, 135.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_spanish_meta_report_in_excel() -> None:
    result = read_history(meta_workbook(), filename="informe.xlsx", channel="Facebook")
    assert result.encoding == "xlsx" and result.currency == "EUR"
    assert result.totals() == pytest.approx(
        {
            "spend": 1277.25,
            "impressions": 6500.0,
            "reach": 4700.0,
            "clicks": 61.0,
            "sales": 3.0,
            "revenue": 135.5,
        }
    )
    assert [(s.line, s.reason) for s in result.skipped] == [
        (1, SkipReason.BEFORE_HEADER),
        (2, SkipReason.BEFORE_HEADER),
        (3, SkipReason.BEFORE_HEADER),
        (8, SkipReason.TOTAL),
    ]
    assert result.date_range() == (dt.date(2025, 3, 1), dt.date(2025, 3, 3))
    assert result.channels() == ("Facebook",)
    assert result.warnings == ()  # the total row agrees with the detail rows


def test_recognised_by_its_content_whatever_its_name() -> None:
    result = read_history(meta_workbook(), filename="export", channel="Facebook")
    assert len(result.rows) == 3


def test_a_broken_workbook_is_refused_with_a_reason() -> None:
    damaged = meta_workbook()[:600]
    with pytest.raises(ImportRefused) as refused:
        read_history(damaged, filename="informe.xlsx")
    assert refused.value.problem is ImportProblem.UNREADABLE
    assert refused.value.reason


def test_the_command_line_reads_excel(tmp_path: Path) -> None:
    path = tmp_path / "informe.xlsx"
    path.write_bytes(meta_workbook())
    done = subprocess.run(
        [sys.executable, "-m", "roi_model", "import", str(path), "--channel", "Facebook"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert (printed["rows"], printed["encoding"], printed["date_range"]) == (
        3,
        "xlsx",
        ["2025-03-01", "2025-03-03"],
    )
    assert printed["totals"]["spend"] == 1277.25
