"""The command line: JSON on stdout, or exactly one line on stderr and a non-zero exit."""

from __future__ import annotations

import copy
import json
import os
import random
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from roi_model import Scenario
from roi_model.cli import build_parser, main
from roi_model.files.share import LINK_PARAM, decode_scenario
from roi_model.model.optimize import optimize_mix

REPO = Path(__file__).resolve().parents[1]
TOP_LEVEL = [
    "name",
    "currency",
    "investment",
    "return",
    "roi",
    "roas",
    "cost_per_lead",
    "cost_per_sale",
    "totals",
    "channels",
    "goals",
]
GOLDEN = {"rel": 1e-9}
CHANNEL_KEYS = {
    "name",
    "spend",
    "hours",
    "investment",
    "impressions",
    "likes",
    "leads",
    "sales",
    "financial_return",
    "full_return",
    "roi",
    "marginal_roi",
}

WriteFile = Callable[..., Path]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roi_model", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
        check=False,
    )


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _bad_files() -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    def malformed(d: dict[str, Any]) -> str:
        return json.dumps(d, indent=2)[:-3]

    def unknown(d: dict[str, Any]) -> dict[str, Any]:
        d["channels"][0]["cpc"] = 0.5
        return d

    def wrong_type(d: dict[str, Any]) -> dict[str, Any]:
        d["investment"]["ad_budget"] = "5.000 €"
        return d

    def version(d: dict[str, Any]) -> dict[str, Any]:
        d["schema_version"] = 4
        return d

    def invalid(d: dict[str, Any]) -> dict[str, Any]:
        d["values"]["gross_margin"] = 1.5
        return d

    def multi_line_value(d: dict[str, Any]) -> dict[str, Any]:
        d["channels"][0]["note"] = "first line\nsecond line"
        return d

    return [
        ("malformed", malformed),
        ("unknown-field", unknown),
        ("wrong-type", wrong_type),
        ("future-schema-version", version),
        ("invalid-value", invalid),
        ("newline-in-unknown-field", multi_line_value),
        ("not-utf8", lambda d: json.dumps(d).replace("Tienda", "Tiend\xe1").encode("latin-1")),
        ("too-long-integer", lambda d: json.dumps(d).replace("5000", "9" * 5000, 1)),
    ]


BAD_FILES = _bad_files()


class TestMainSubprocess:
    def test_evaluate_prints_the_documented_json(self, example_file: Path) -> None:
        done = _run("evaluate", str(example_file))
        assert (done.returncode, done.stderr) == (0, "")
        report = json.loads(done.stdout)
        assert list(report) == TOP_LEVEL
        assert report["investment"] == {
            "ad_spend": 5000.0,
            "staff_cost": 2400.0,
            "fixed_costs": 500.0,
            "total": 7900.0,
        }
        assert report["totals"]["paid_impressions"] == pytest.approx(2_500_000 / 9, **GOLDEN)
        assert report["totals"]["visits"] == pytest.approx(28_600 / 9, **GOLDEN)  # 3177.78
        assert report["totals"]["leads"] == pytest.approx(1_430 / 9, **GOLDEN)  # 158.89
        assert report["totals"]["sales"] == pytest.approx(286 / 9, **GOLDEN)  # 31.78
        assert report["return"]["financial"] == pytest.approx(4_576 / 3, **GOLDEN)  # 1525.33
        assert report["return"]["full"] == pytest.approx(45_208 / 9, **GOLDEN)  # 5023.11

    def test_bad_file_exits_non_zero_with_one_line(self, tmp_path: Path) -> None:
        done = _run("evaluate", str(tmp_path / "missing.json"))
        assert done.returncode != 0
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1
        assert "missing.json" in done.stderr


#: Each command that reads a scenario file, with the options it needs besides the file.
FILE_COMMANDS = {
    "evaluate": [],
    "break-even": ["--input", "values.order_value"],
    "optimize": [],
    "link": ["--base-url", "https://roi.example.com/app?lang=es"],
    "simulate": ["--draws", "10"],
    "report": ["--format", "html", "-o", os.devnull],
}


class TestBadFiles:
    @pytest.mark.parametrize("command", list(FILE_COMMANDS))
    @pytest.mark.parametrize(
        "make", [make for _, make in BAD_FILES], ids=[name for name, _ in BAD_FILES]
    )
    def test_bad_file_prints_one_line_and_exits_2(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        example_dict: dict[str, Any],
        make: Callable[[dict[str, Any]], Any],
        command: str,
    ) -> None:
        path = write_scenario_file(make(copy.deepcopy(example_dict)))
        code, out, err = _main(capsys, command, str(path), *FILE_COMMANDS[command])
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert err.startswith(f"error: {path}: ")


class TestMainEvaluate:
    def test_prints_the_documented_keys_and_numbers(
        self, capsys: pytest.CaptureFixture[str], example_file: Path
    ) -> None:
        code, out, err = _main(capsys, "evaluate", str(example_file))
        assert (code, err) == (0, "")
        report = json.loads(out)
        assert list(report) == TOP_LEVEL
        assert set(report["investment"]) == {"ad_spend", "staff_cost", "fixed_costs", "total"}
        assert set(report["return"]) == {
            "sales",
            "support",
            "leads",
            "engagement",
            "organic_traffic",
            "financial",
            "full",
        }
        assert set(report["roi"]) == {"financial", "full"}
        assert report["roi"]["financial"] == pytest.approx(-4_781 / 5_925, **GOLDEN)
        assert report["roas"] == pytest.approx(286 / 375, **GOLDEN)
        assert report["cost_per_lead"] == pytest.approx(7_110 / 143, **GOLDEN)  # 7900 / 158.89
        assert report["cost_per_sale"] == pytest.approx(35_550 / 143, **GOLDEN)  # 7900 / 31.78
        [channel] = report["channels"]
        assert set(channel) >= CHANNEL_KEYS
        assert channel["marginal_roi"] == pytest.approx(0.0148 * 1000 / 40.5 - 1, **GOLDEN)
        assert [g["metric"] for g in report["goals"]] == ["sales", "leads"]
        assert report["goals"][0]["attainment"] == pytest.approx(286 / 9 / 50, **GOLDEN)

    def test_keeps_non_ascii_names(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        clinic_dict: dict[str, Any],
    ) -> None:
        code, out, _ = _main(capsys, "evaluate", str(write_scenario_file(clinic_dict)))
        assert code == 0
        assert '"name": "Clínica dental"' in out

    def test_undefined_numbers_are_null_not_nan(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        example_dict: dict[str, Any],
    ) -> None:
        example_dict["investment"] = {
            "ad_budget": 0,
            "staff_hours": 80,
            "hourly_rate": 0,
            "fixed_costs": 0,
        }
        code, out, _ = _main(capsys, "evaluate", str(write_scenario_file(example_dict)))
        assert code == 0
        assert "NaN" not in out
        assert "Infinity" not in out
        report = json.loads(out)
        assert report["roi"] == {"financial": None, "full": None}
        assert report["roas"] is None
        # 40000 organic impressions still bring 400 visits and 20 leads, each costing 0 / 20
        assert report["cost_per_lead"] == 0.0

    def test_nothing_invested_nothing_reached_is_all_null(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        example_dict: dict[str, Any],
    ) -> None:
        example_dict["investment"] = dict.fromkeys(example_dict["investment"], 0)
        code, out, _ = _main(capsys, "evaluate", str(write_scenario_file(example_dict)))
        report = json.loads(out)
        assert code == 0
        assert report["roi"] == {"financial": None, "full": None}
        assert [report[k] for k in ("roas", "cost_per_lead", "cost_per_sale")] == [None] * 3
        assert report["channels"][0]["marginal_roi"] == pytest.approx(1000 / 8 * 0.0148 - 1)

    def test_no_leads_gives_null_cost_per_lead(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        example_dict: dict[str, Any],
    ) -> None:
        example_dict["channels"][0]["ctr"] = 0
        code, out, _ = _main(capsys, "evaluate", str(write_scenario_file(example_dict)))
        report = json.loads(out)
        assert (code, report["cost_per_lead"], report["cost_per_sale"]) == (0, None, None)

    def test_missing_file_names_it(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "nowhere.json"
        code, out, err = _main(capsys, "evaluate", str(path))
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
        assert "nowhere.json" in err
        assert "readable UTF-8 file" in err

    def test_unknown_field_names_its_path(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        example_dict: dict[str, Any],
    ) -> None:
        example_dict["channels"][0]["cpc"] = 0.5
        _, _, err = _main(capsys, "evaluate", str(write_scenario_file(example_dict)))
        assert "channels[0].cpc = 0.5" in err

    def test_unhashable_goal_tier_prints_one_line(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        example_dict: dict[str, Any],
    ) -> None:
        # Today a TypeError escapes main(): a traceback instead of one line on stderr.
        example_dict["goals"][0]["tier"] = ["primary"]
        code, out, err = _main(capsys, "evaluate", str(write_scenario_file(example_dict)))
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1


class TestMainBreakEven:
    def test_order_value(self, capsys: pytest.CaptureFixture[str], example_file: Path) -> None:
        # 31.78 sales * v * 0.4 = 7900  ->  v = 621.50 (= 88875/143)
        code, out, err = _main(
            capsys, "break-even", str(example_file), "--input", "values.order_value"
        )
        assert (code, err) == (0, "")
        result = json.loads(out)
        assert list(result) == ["input", "objective", "current", "break_even", "exact"]
        assert result["input"] == "values.order_value"
        assert result["objective"] == "financial"
        assert result["current"] == 120.0
        assert result["break_even"] == pytest.approx(88_875 / 143, **GOLDEN)
        assert result["exact"] is True

    def test_full_objective(self, capsys: pytest.CaptureFixture[str], example_file: Path) -> None:
        # 3974.44 + 5243.33 c = 7900  ->  c = 3533/4719 = 0.7487
        code, out, _ = _main(
            capsys,
            "break-even",
            str(example_file),
            "--input",
            "channels[*].close_rate",
            "--objective",
            "full",
        )
        result = json.loads(out)
        assert code == 0
        assert result["break_even"] == pytest.approx(3_533 / 4_719, **GOLDEN)
        assert result["objective"] == "full"

    def test_unreachable_is_null(
        self, capsys: pytest.CaptureFixture[str], example_file: Path
    ) -> None:
        # the gross margin would need to be 7900 / 3813.33 = 2.07 > 1
        code, out, _ = _main(
            capsys, "break-even", str(example_file), "--input", "values.gross_margin"
        )
        assert code == 0
        assert json.loads(out)["break_even"] is None
        assert "NaN" not in out

    @pytest.mark.parametrize(
        "path",
        ["values.colour", "channels[1].cpm", "channels[0].name"],
        ids=["unknown-field", "channel-out-of-range", "channel-name"],
    )
    def test_unknown_input_prints_one_line_and_exits_2(
        self, capsys: pytest.CaptureFixture[str], example_file: Path, path: str
    ) -> None:
        code, out, err = _main(capsys, "break-even", str(example_file), "--input", path)
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert path in err

    def test_bad_file_prints_one_line(
        self, capsys: pytest.CaptureFixture[str], write_scenario_file: WriteFile
    ) -> None:
        path = write_scenario_file("{")
        code, _, err = _main(capsys, "break-even", str(path), "--input", "values.lead")
        assert code == 2
        assert len(err.splitlines()) == 1
        assert "line 1, column 2" in err


class TestMainOptimize:
    def test_prints_both_mixes(
        self, capsys: pytest.CaptureFixture[str], example_file: Path
    ) -> None:
        # one channel: the best mix is today's, and its figures are the evaluate golden ones
        code, out, err = _main(capsys, "optimize", str(example_file))
        assert (code, err) == (0, "")
        result = json.loads(out)
        assert list(result) == ["objective", "budget", "before", "after"]
        assert (result["objective"], result["budget"]) == ("financial", 5000.0)
        for side in ("before", "after"):
            assert list(result[side]) == ["return", "roi", "channels"]
            assert result[side]["return"] == pytest.approx(4_576 / 3, **GOLDEN)
            assert result[side]["roi"] == pytest.approx(-4_781 / 5_925, **GOLDEN)
            assert result[side]["channels"] == [
                {"name": "Facebook", "budget_share": 1.0, "spend": pytest.approx(5000.0)}
            ]

    def test_budget(self, capsys: pytest.CaptureFixture[str], example_file: Path) -> None:
        # 2000 buys 1000 * 2000 / (8 * 1.5) = 166666.67 paid + 40000 organic impressions:
        # 2066.67 visits, 103.33 leads, 20.67 sales, 2480 revenue, 992 at a 0.4 margin;
        # invested 2000 + 2400 + 500 = 4900
        code, out, _ = _main(capsys, "optimize", str(example_file), "--budget", "2000")
        result = json.loads(out)
        assert (code, result["budget"]) == (0, 2000.0)
        assert result["after"]["return"] == pytest.approx(992.0, **GOLDEN)
        assert result["after"]["roi"] == pytest.approx((992 - 4900) / 4900, **GOLDEN)
        assert result["after"]["channels"][0]["spend"] == pytest.approx(2000.0, **GOLDEN)

    def test_full_objective_moves_money_between_channels(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        clinic_dict: dict[str, Any],
        clinic_scenario: Scenario,
    ) -> None:
        path = write_scenario_file(clinic_dict)
        code, out, _ = _main(capsys, "optimize", str(path), "--objective", "full")
        result = json.loads(out)
        assert code == 0
        assert result == optimize_mix(clinic_scenario, "full").to_dict()
        spends = [channel["spend"] for channel in result["after"]["channels"]]
        assert sum(spends) == pytest.approx(6000.0, **GOLDEN)
        assert spends[2] == 0.0  # Twitter has no CPM: it cannot buy impressions
        assert result["after"]["return"] > result["before"]["return"]
        assert result["after"]["roi"] > result["before"]["roi"]

    def test_undefined_roi_is_null(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        example_dict: dict[str, Any],
    ) -> None:
        example_dict["investment"] = dict.fromkeys(example_dict["investment"], 0)
        code, out, _ = _main(capsys, "optimize", str(write_scenario_file(example_dict)))
        assert code == 0
        assert json.loads(out)["after"]["roi"] is None
        assert "NaN" not in out

    @pytest.mark.parametrize("budget", ["-5", "abc", "nan", "inf", "1e400", ""])
    def test_bad_budget_prints_one_line_and_exits_2(
        self, capsys: pytest.CaptureFixture[str], example_file: Path, budget: str
    ) -> None:
        code, out, err = _main(capsys, "optimize", str(example_file), "--budget", budget)
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert err.startswith("error: --budget: expected a number >= 0, got ")

    def test_runs_as_a_module(self, example_file: Path) -> None:
        done = _run("optimize", str(example_file), "--budget=0")
        assert (done.returncode, done.stderr) == (0, "")
        assert json.loads(done.stdout)["after"]["channels"][0]["spend"] == 0.0


class TestBuildParser:
    def test_a_command_is_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            build_parser().parse_args([])
        assert caught.value.code == 2
        capsys.readouterr()

    def test_break_even_needs_an_input(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit):
            build_parser().parse_args(["break-even", "f.json"])
        assert "--input" in capsys.readouterr().err

    def test_objective_is_financial_unless_told(self) -> None:
        args = build_parser().parse_args(["break-even", "f.json", "--input", "values.lead"])
        assert (args.command, args.file, args.objective) == ("break-even", "f.json", "financial")

    def test_optimize_keeps_the_files_budget_unless_told(self) -> None:
        args = build_parser().parse_args(["optimize", "f.json"])
        assert (args.command, args.objective, args.budget) == ("optimize", "financial", None)


class TestMainLink:
    BASE = "https://roi.example.com/app?lang=es"

    def test_prints_a_link_that_opens_the_files_scenario(
        self, capsys: pytest.CaptureFixture[str], example_file: Path, example_scenario: Scenario
    ) -> None:
        code, out, err = _main(capsys, "link", str(example_file), "--base-url", self.BASE)
        assert (code, err) == (0, "")
        assert out.count("\n") == 1 and out.endswith("\n")
        link = out.strip()
        assert link.startswith("https://roi.example.com/app?lang=es&s=5.")
        query = parse_qs(urlsplit(link).query)
        assert query["lang"] == ["es"]
        assert decode_scenario(query[LINK_PARAM][0]) == example_scenario

    def test_runs_as_a_module(self, example_file: Path, example_scenario: Scenario) -> None:
        done = _run("link", str(example_file), "--base-url", "http://localhost:8501")
        assert (done.returncode, done.stderr) == (0, "")
        [token] = parse_qs(urlsplit(done.stdout.strip()).query)[LINK_PARAM]
        assert decode_scenario(token) == example_scenario

    def test_missing_file_names_it(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "nowhere.json"
        code, out, err = _main(capsys, "link", str(path), "--base-url", self.BASE)
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
        assert "nowhere.json" in err

    @pytest.mark.parametrize(
        "base",
        [
            "roi.example.com",
            "ftp://roi.example.com/",
            "https://",
            "https://roi example.com/",
            "https://roi.example.com/\nX-Injected: 1",
            "",
        ],
        ids=["no-scheme", "ftp", "no-host", "space", "newline", "empty"],
    )
    def test_bad_base_url_prints_one_line_and_exits_2(
        self, capsys: pytest.CaptureFixture[str], example_file: Path, base: str
    ) -> None:
        code, out, err = _main(capsys, "link", str(example_file), "--base-url", base)
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert err.startswith("error: --base-url: ")
        assert "http:// or https://" in err

    def test_a_scenario_too_big_for_a_link_exits_2(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: WriteFile,
        example_dict: dict[str, Any],
    ) -> None:
        rng = random.Random(0)
        example_dict["name"] = "".join(rng.choice(string.ascii_letters) for _ in range(9000))
        path = write_scenario_file(example_dict)
        code, out, err = _main(capsys, "link", str(path), "--base-url", self.BASE)
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert err.startswith(f"error: {path}: the link is too long")

    def test_base_url_is_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            build_parser().parse_args(["link", "f.json"])
        assert caught.value.code == 2
        assert "--base-url" in capsys.readouterr().err


IMPORTS = REPO / "tests" / "fixtures" / "imports"


def test_import_prints_the_summary_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(
        capsys, "import", str(IMPORTS / "tiktok_daily.csv"), "--channel", "TikTok"
    )
    summary = json.loads(out)
    assert code == 0 and err == ""
    assert {
        "rows",
        "skipped",
        "mapping",
        "totals",
        "date_range",
        "channels",
        "warnings",
        "encoding",
        "delimiter",
        "decimal",
    } <= set(summary)
    assert summary["rows"] == 2 and summary["channels"] == ["TikTok"]
    assert summary["date_range"] == ["2025-03-01", "2025-03-02"]
    assert summary["skipped"][0] == {"line": 4, "reason": "empty line"}


@pytest.mark.parametrize("name", ["customers.csv", "missing.csv"])
def test_import_refused_file_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = _main(capsys, "import", str(IMPORTS / name), "--json")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
