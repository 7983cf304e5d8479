"""The cockpit's slider latency in team mode against the embedded default, in one run.

Three apps served side by side and measured in alternation: the cockpit in team mode (signed
in, its store acting for one user of a team database), the cockpit as a consultant runs it on a
laptop (no sign-in), and the hello-world floor. Team mode adds a membership check to the store
calls of a rerun and nothing else, so the two cockpits should be within noise of each other;
step 9's target for the cockpit (at most 3.0 times hello) holds for both or for neither.

Run from the project root: ``python -m benchmarks.team_latency --rounds 20``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from benchmarks.latency import (
    LatencyStats,
    cockpit,
    hello,
    measure_alternately,
    open_app,
    warm_up,
)
from tests.browser_support import CHROMIUM_MISSING, chromium_available, launch_chromium

PASSWORD = "benchmark password"
TEAM_TARGET = 3.0  # step 9's cockpit target, page / hello


@dataclass(frozen=True)
class TeamLatency:
    team: LatencyStats
    embedded: LatencyStats
    hello: LatencyStats

    def report(self) -> str:
        team = self.team.median_ms / self.hello.median_ms
        embedded = self.embedded.median_ms / self.hello.median_ms
        verdict = "met" if team <= TEAM_TARGET else "MISSED"
        return (
            f"team mode {self.team.median_ms:.1f} ms, embedded {self.embedded.median_ms:.1f} ms, "
            f"hello {self.hello.median_ms:.1f} ms (medians of {len(self.team.samples_ms)})\n"
            f"team / embedded {self.team.median_ms / self.embedded.median_ms:.2f}; "
            f"team / hello {team:.2f}, embedded / hello {embedded:.2f} "
            f"(target <= {TEAM_TARGET:.1f}: {verdict} in team mode)"
        )


def _team_database(folder: Path) -> str:
    from roi_model.store import Role, ScenarioStore

    location = str(folder / "team.sqlite3")
    with ScenarioStore(location) as store:
        store.add_user("ana", PASSWORD)
        store.grant("ana", "Acme", Role.OWNER)
    return location


def _sign_in(page: Page) -> None:
    page.get_by_role("textbox", name="Name").fill("ana")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def run_team_latency(rounds: int = 20, warmup: int = 3) -> TeamLatency:
    if not chromium_available():
        raise SystemExit(CHROMIUM_MISSING)
    with (
        sync_playwright() as playwright,
        ExitStack() as stack,
        tempfile.TemporaryDirectory(prefix="roi-bench-team-") as folder,
    ):
        env = {"ROI_EXPLORER_DB": _team_database(Path(folder)), "ROI_EXPLORER_TEAM": "1"}
        team = replace(cockpit(), name="team", env=env, sign_in=_sign_in)
        browser = launch_chromium(playwright)
        stack.callback(browser.close)
        opened = [open_app(stack, browser, each) for each in (team, cockpit(), hello())]
        for target in opened:
            warm_up(target, warmup)
        return TeamLatency(*measure_alternately(opened, rounds))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="measured presses per app")
    parser.add_argument("--warmup", type=int, default=3, help="discarded presses per app")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(run_team_latency(args.rounds, args.warmup).report())
    print(f"(took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
