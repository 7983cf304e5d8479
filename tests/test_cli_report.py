"""``python -m roi_model report``: the scenario's or the comparison's report written to a file,
in the language, locale, currency and format asked; bad input exits 2 with one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from roi_model.cli import main
from roi_model.files.scenario_file import load_scenario
from roi_model.model.evaluate import evaluate
from roi_model.words import words_for

ROOT = Path(__file__).resolve().parents[1]
PRESETS = ROOT / "sample_data" / "presets"
FASHION = PRESETS / "fashion_brand.json"
SHOP = PRESETS / "online_shop.json"


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("suffix", ["html", "pdf", "xlsx"])
def test_writes_the_format_of_the_files_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"informe.{suffix}"
    code, printed, err = _main(capsys, "report", str(FASHION), "--lang", "es", "-o", str(out))
    assert (code, printed.strip(), err) == (0, str(out), "")
    data = out.read_bytes()
    if suffix == "pdf":
        assert 1 <= len(PdfReader(io.BytesIO(data)).pages) <= 3
    elif suffix == "xlsx":
        assert "Canales" in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    else:
        assert "Informe para el cliente" in data.decode("utf-8")


def test_locale_currency_and_client(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    args = ["--lang", "es", "--locale", "es_MX", "--currency", "MXN", "--client", "Tienda Sol"]
    code, _, _ = _main(capsys, "report", str(SHOP), *args, "-o", str(out))
    html = out.read_text("utf-8")
    total = evaluate(load_scenario(SHOP)).investment.total
    assert code == 0 and "Tienda Sol" in html
    assert words_for("es", "es_MX").money(total, "MXN") in html


def test_format_option_wins_over_the_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.bin"
    assert _main(capsys, "report", str(SHOP), "--format", "pdf", "-o", str(out))[0] == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_a_comparison_against_the_second_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "c.xlsx"
    code, _, err = _main(
        capsys,
        "report",
        "--compare",
        str(SHOP),
        str(FASHION),
        "--base",
        "2",
        "--lang",
        "en",
        "-o",
        str(out),
    )
    assert (code, err) == (0, "")
    book = openpyxl.load_workbook(out)
    side = book["Side by side"]
    assert [c.value for c in side[1]][:3] == ["Metric", "Tienda online", "Δ Tienda online"]


@pytest.mark.parametrize(
    ("args", "subject"),
    [
        (["--lang", "es", "--locale", "en_US"], "--locale"),
        (["--currency", "EURO"], "--currency"),
        (["--compare", str(SHOP)], "--compare"),
    ],
)
def test_bad_options_exit_2_with_one_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], subject: str
) -> None:
    out = tmp_path / "r.html"
    code, printed, err = _main(capsys, "report", str(SHOP), *args, "-o", str(out))
    assert (code, printed, len(err.splitlines())) == (2, "", 1)
    assert err.startswith(f"error: {subject}: ") and not out.exists()


def test_an_unknown_extension_asks_for_a_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _main(capsys, "report", str(SHOP), "-o", str(tmp_path / "r.docx"))
    assert code == 2 and err.startswith("error: --format: ")


def test_a_bad_file_among_those_compared_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"schema_version": 1, "channels": []}), "utf-8")
    out = tmp_path / "c.html"
    code, _, err = _main(capsys, "report", "--compare", str(SHOP), str(broken), "-o", str(out))
    assert code == 2 and err.startswith(f"error: {broken}: ") and not out.exists()


def test_a_folder_that_does_not_exist_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "missing" / "r.html"
    code, _, err = _main(capsys, "report", str(SHOP), "-o", str(out))
    assert code == 2 and err.startswith("error: --output: cannot write")
