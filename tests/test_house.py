"""The house rules that tools check: imports run one way between the layers (import-linter, its
contracts in pyproject.toml), the model imports no Streamlit or Altair (ruff's banned API),
every file is formatted and linted, and mypy --strict passes over the whole project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which(command[0], path=str(BIN)) or shutil.which(command[0])
    if tool is None:
        pytest.fail(f"{command[0]} is not installed: it comes with the dev extra")
    return subprocess.run(
        [tool, *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_imports_run_one_way_between_the_layers() -> None:
    done = _run("lint-imports", "--no-cache")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_ruff_finds_nothing_and_every_file_is_formatted() -> None:
    check, form = _run("ruff", "check", "."), _run("ruff", "format", "--check", ".")
    assert check.returncode == 0, check.stdout[-3000:]
    assert form.returncode == 0, form.stdout[-3000:]


def test_mypy_strict_over_the_whole_project() -> None:
    done = _run("mypy")
    assert done.returncode == 0, done.stdout[-3000:]
