"""Slider-to-updated-page latency in a real browser: the cockpit against a hello-world floor.

Both apps are served side by side and measured in alternation in the same run, so that machine
noise (other processes, CPU frequency, a cold cache) hits both alike; the ratio of medians is
the figure to watch, not the absolute times.

Run from the project root: ``python -m benchmarks.latency --rounds 20``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, sync_playwright

from tests.browser_support import (
    CHROMIUM_MISSING,
    UI_TIMEOUT_MS,
    assert_no_exception,
    chromium_available,
    fresh_session_url,
    keyed,
    launch_chromium,
    new_context,
    serve_streamlit,
    slider_position,
    slider_thumb,
    wait_for_app_ready,
    wait_for_script_idle,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HELLO_APP = Path(__file__).resolve().parent / "hello_app.py"
METRIC_VALUE = '[data-testid="stMetricValue"]'

# Armed before each key press. The clock runs inside the page: from the keydown event's own
# timestamp to the first DOM mutation after which the metric's text differs from the old text
# (a MutationObserver fires right after React commits, before the next paint). Measuring in
# Python around press() + a wait would add Playwright's round trips and the polling interval
# of wait_for_function (one animation frame, ~16 ms) to every sample and dilute the ratio.
ARM_STOPWATCH = """([selector, oldText, timeoutMs]) => {
    window.__latencyMs = new Promise((resolve, reject) => {
        let pressedAt = null;
        const onKeyDown = (event) => { pressedAt = event.timeStamp; };
        window.addEventListener("keydown", onKeyDown, {capture: true, once: true});
        const changed = () => {
            const element = document.querySelector(selector);
            return element !== null && element.textContent !== oldText;
        };
        const observer = new MutationObserver(() => {
            if (pressedAt !== null && changed()) {
                observer.disconnect();
                resolve(performance.now() - pressedAt);
            }
        });
        observer.observe(document.body, {subtree: true, childList: true, characterData: true});
        setTimeout(() => {
            observer.disconnect();
            reject(new Error(`${selector} did not change within ${timeoutMs} ms`));
        }, timeoutMs);
    });
}"""


@dataclass(frozen=True)
class AppUnderTest:
    """An app to measure: its script, the slider to press and the metric that must change.

    Another page or control is measured by giving its ``path``, a ``prepare`` step run once
    after loading, a ``control`` (the element to focus and the key to press on it) and the
    ``watched`` element whose text must change; ``env`` goes to its server.
    """

    name: str
    script: Path
    slider_key: str
    metric_key: str
    path: str = ""
    prepare: Callable[[Page], None] | None = None
    control: Callable[[OpenApp], tuple[Locator, str]] | None = None
    watched: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass
class OpenApp:
    """An app loaded in its own page, with the samples measured so far (milliseconds)."""

    app: AppUnderTest
    page: Page
    key: str = "ArrowRight"
    samples_ms: list[float] = field(default_factory=list)

    @property
    def watched_selector(self) -> str:
        return self.app.watched or f".st-key-{self.app.metric_key} {METRIC_VALUE}"


@dataclass(frozen=True)
class LatencyStats:
    name: str
    samples_ms: tuple[float, ...]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p90_ms(self) -> float:
        if len(self.samples_ms) < 2:
            return self.samples_ms[0]
        return statistics.quantiles(self.samples_ms, n=10, method="inclusive")[8]


@dataclass(frozen=True)
class LatencyResult:
    app: LatencyStats
    hello: LatencyStats

    @property
    def ratio_of_medians(self) -> float:
        return self.app.median_ms / self.hello.median_ms

    def report(self) -> str:
        rows = [f"{'':8}{'median':>10}{'p90':>10}{'min':>10}{'n':>5}"]
        for stats in (self.app, self.hello):
            rows.append(
                f"{stats.name:8}{stats.median_ms:>8.1f}ms{stats.p90_ms:>8.1f}ms"
                f"{min(stats.samples_ms):>8.1f}ms{len(stats.samples_ms):>5}"
            )
        rows.append(f"ratio of medians (app / hello): {self.ratio_of_medians:.2f}")
        return "\n".join(rows)


def cockpit(
    script: Path = PROJECT_ROOT / "app.py", metric_key: str = "kpi_investment"
) -> AppUnderTest:
    """The cockpit's budget slider and, by default, its investment headline.

    Not the ROI: one ArrowRight step is 1/500 of the slider's range, and the ROI, rounded to
    0.1 %, often keeps its text; the investment moves with every step. Both are drawn by the
    same call in the same rerun, so the latency is the same.
    """
    return AppUnderTest("app", script, slider_key="ad_budget", metric_key=metric_key)


def hello() -> AppUnderTest:
    return AppUnderTest("hello", HELLO_APP, slider_key="x", metric_key="out")


def next_key(opened: OpenApp) -> str:
    """Keep pressing the same way until the thumb hits an end, then turn back.

    A press at the end of the range changes nothing and would wait for a change forever.
    """
    value, low, high = slider_position(slider_thumb(opened.page, opened.app.slider_key))
    if value >= high:
        opened.key = "ArrowLeft"
    elif value <= low:
        opened.key = "ArrowRight"
    return opened.key


def slider_control(opened: OpenApp) -> tuple[Locator, str]:
    """The slider's thumb, and the arrow key that moves it away from the end it is at."""
    return slider_thumb(opened.page, opened.app.slider_key), next_key(opened)


def measure_once(opened: OpenApp) -> float:
    """One key press on the control; milliseconds until the watched element shows a new text."""
    page = opened.page
    page.bring_to_front()  # only one page is foreground; never time a background tab
    target, key = (opened.app.control or slider_control)(opened)
    target.focus()
    old_text = page.locator(opened.watched_selector).text_content() or ""
    page.evaluate(ARM_STOPWATCH, [opened.watched_selector, old_text, UI_TIMEOUT_MS])
    target.press(key)
    latency_ms = float(page.evaluate("() => window.__latencyMs"))
    # The metric may be drawn before the script ends; start the next press from an idle app.
    wait_for_script_idle(page)
    return latency_ms


@contextmanager
def opened_apps(browser: Browser, apps: Sequence[AppUnderTest]) -> Iterator[list[OpenApp]]:
    """Serve every app and load each in its own browser context; stop them all at the end."""
    with ExitStack() as stack:
        opened = []
        for app in apps:
            url = stack.enter_context(serve_streamlit(app.script, cwd=PROJECT_ROOT, env=app.env))
            context = new_context(browser)
            stack.callback(context.close)
            page = context.new_page()
            page.goto(fresh_session_url(url, app.path))
            wait_for_app_ready(page, keyed(page, app.metric_key))
            if app.prepare is not None:
                app.prepare(page)
                wait_for_script_idle(page)
            opened.append(OpenApp(app, page))
        yield opened


def run_latency(
    rounds: int = 20, warmup: int = 3, app: AppUnderTest | None = None
) -> LatencyResult:
    """Warm both apps up, then alternate app and hello presses (ABBA order) for ``rounds``."""
    if not chromium_available():
        raise SystemExit(CHROMIUM_MISSING)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            with opened_apps(browser, [app or cockpit(), hello()]) as (opened_app, opened_hello):
                for target in (opened_app, opened_hello):
                    for _ in range(warmup):
                        measure_once(target)
                for round_index in range(rounds):
                    # ABBA: neither app always goes first, right after the other's rerun.
                    pair = (opened_app, opened_hello)
                    for target in pair if round_index % 2 == 0 else pair[::-1]:
                        target.samples_ms.append(measure_once(target))
                for target in (opened_app, opened_hello):
                    assert_no_exception(target.page)
                return LatencyResult(
                    LatencyStats("app", tuple(opened_app.samples_ms)),
                    LatencyStats("hello", tuple(opened_hello.samples_ms)),
                )
        finally:
            browser.close()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_latency_options(parser)
    return parser.parse_args(argv)


def add_latency_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rounds", type=int, default=20, help="measured presses per app")
    parser.add_argument("--warmup", type=int, default=3, help="discarded presses per app")
    parser.add_argument(
        "--app", type=Path, default=PROJECT_ROOT / "app.py", help="the app to compare with hello"
    )
    parser.add_argument(
        "--app-metric", default="kpi_investment",
        help="key of the container of the app's metric that must change (kpi_financial_roi...)",
    )  # fmt: skip
    parser.add_argument(
        "--hello-vs-hello", action="store_true", help="hello against itself: a ratio near 1"
    )


def page_main(
    description: str,
    run: Callable[[int, int], LatencyResult],
    argv: Sequence[str] | None = None,
) -> None:
    """The command line of one page's latency script: ``--rounds`` and ``--warmup``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=20, help="measured presses per app")
    parser.add_argument("--warmup", type=int, default=3, help="discarded presses per app")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(run(args.rounds, args.warmup).report())
    print(f"(took {time.perf_counter() - started:.0f} s)")


def app_from_args(args: argparse.Namespace) -> AppUnderTest:
    if args.hello_vs_hello:
        return AppUnderTest("app", HELLO_APP, slider_key="x", metric_key="out")
    if not args.app.is_file():
        raise SystemExit(f"{args.app} not found (run from the project root, or pass --app)")
    return cockpit(args.app, args.app_metric)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    result = run_latency(args.rounds, args.warmup, app_from_args(args))
    print(result.report())
    print(f"(took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
