"""What sending the watched figures early brings: each page served twice side by side, with
and without the hand-over after its figures (``ROI_EXPLORER_SEND_EARLY=0``), against hello.

A page's script gives way for a millisecond right after the figures a press changes
(``pages/_ui/app/send_now.py``), so that the server's sending thread gets Python's interpreter
lock and the browser draws those figures while the rest of the page is computed. Here the
same page runs in two servers, one with the hand-over turned off, and their presses alternate
with hello's in one browser (as in ``latency.py``): the ratio "on / off" says what the
hand-over brings on this machine, now.

Run from the project root: ``python -m benchmarks.send_early --rounds 30``.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack

from playwright.sync_api import sync_playwright

from benchmarks.latency import (
    AppUnderTest,
    cockpit,
    hello,
    measure_alternately,
    open_app,
    warm_up,
)
from benchmarks.meeting_latency import meeting_app
from benchmarks.months_latency import months_app
from pages._ui.app.send_now import ENABLED_ENV
from tests.browser_support import CHROMIUM_MISSING, chromium_available, launch_chromium

PAGES: dict[str, Callable[[], AppUnderTest]] = {
    "cockpit": cockpit,
    "meeting": meeting_app,
    "months": months_app,
}


def with_hand_over(app: AppUnderTest, enabled: bool) -> AppUnderTest:
    """The same page, its hand-over on or off (the server's environment says which)."""
    state = "on" if enabled else "off"
    env = {**app.env, ENABLED_ENV: "1" if enabled else "0"}
    return dataclasses.replace(app, name=f"{app.name}, sent early {state}", env=env)


def compare(page: str, rounds: int, warmup: int) -> str:
    """The page with and without the hand-over, alternated with hello: a line of medians."""
    if not chromium_available():
        raise SystemExit(CHROMIUM_MISSING)
    base = PAGES[page]()
    apps = (with_hand_over(base, True), with_hand_over(base, False), hello())
    with sync_playwright() as playwright, ExitStack() as stack:
        browser = launch_chromium(playwright)
        stack.callback(browser.close)
        opened = [open_app(stack, browser, app) for app in apps]
        for target in opened:
            warm_up(target, warmup)
        on, off, floor = measure_alternately(opened, rounds)
    return (
        f"{page}: sent early {on.median_ms:.1f} ms, not {off.median_ms:.1f} ms "
        f"(on / off {on.median_ms / off.median_ms:.2f}); hello {floor.median_ms:.1f} ms; "
        f"on / hello {on.median_ms / floor.median_ms:.2f}, off / hello "
        f"{off.median_ms / floor.median_ms:.2f}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="measured presses per app")
    parser.add_argument("--warmup", type=int, default=3, help="discarded presses per app")
    parser.add_argument("--page", choices=sorted(PAGES), action="append", help="default: all")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    for page in args.page or list(PAGES):
        print(compare(page, args.rounds, args.warmup))
    print(f"(took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
