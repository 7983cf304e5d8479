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
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, sync_playwright

from tests.browser_support import (
    CHROMIUM_MISSING,
    HEADLINE_KEY,
    UI_TIMEOUT_MS,
    assert_no_exception,
    chromium_available,
    figure_selector,
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
ARM_STOPWATCH = """([selector, oldText, timeoutMs, shown]) => {
    window.__latencyMs = new Promise((resolve, reject) => {
        let pressedAt = null;
        const onKeyDown = (event) => { pressedAt = event.timeStamp; };
        window.addEventListener("keydown", onKeyDown, {capture: true, once: true});
        // shown: the text as laid out (a part the page's CSS hides does not count), which a
        // change of a class or of a checked option can change as well as a new text
        const text = (element) => shown ? element.innerText : element.textContent;
        const changed = () => {
            const element = document.querySelector(selector);
            return element !== null && text(element) !== oldText;
        };
        const observer = new MutationObserver(() => {
            if (pressedAt !== null && changed()) {
                observer.disconnect();
                resolve(performance.now() - pressedAt);
            }
        });
        observer.observe(
            document.body, {subtree: true, childList: true, characterData: true, attributes: shown}
        );
        setTimeout(() => {
            observer.disconnect();
            reject(new Error(`${selector} did not change within ${timeoutMs} ms`));
        }, timeoutMs);
    });
}"""


# Installed before a page loads: counts the websocket messages the page receives, so that the
# harness knows how many elements (one message each) a rerun of the measured page sends.
COUNT_MESSAGES = """(() => {
    window.__messages = 0;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", () => {
                window.__messages += 1;
                window.__lastMessageAt = performance.now();
            });
        }
    };
})();"""
# A press's rerun has come: messages arrived since the press, the last over QUIET_MS ago (the
# page's script state is then read: the first message may not have been handled yet).
RERUN_CAME = """([before, quietMs]) =>
    window.__messages > before && performance.now() - window.__lastMessageAt > quietMs"""
QUIET_MS = 50
ELEMENTS_ENV = "HELLO_ELEMENTS"  # how many texts the floor app draws besides hello's own


@dataclass(frozen=True)
class AppUnderTest:
    """An app to measure: its script, the slider to press and the metric that must change.

    Another page or control is measured by giving its ``path``, a ``prepare`` step run once
    after loading, a ``control`` (the element to focus and the key to press on it) and the
    ``watched`` element whose text must change (with ``watch_shown``, its text as laid out:
    for a page whose CSS shows a part the moment its control is pressed); ``env`` goes to its
    server.
    """

    name: str
    script: Path
    slider_key: str
    metric_key: str
    path: str = ""
    prepare: Callable[[Page], None] | None = None
    control: Callable[[OpenApp], tuple[Locator, str]] | None = None
    watched: str | None = None
    watch_shown: bool = False
    env: Mapping[str, str] = field(default_factory=dict)
    sign_in: Callable[[Page], None] | None = None  # run once the page has loaded (team mode)
    #: CSS of what shows once the page has loaded, where that is not the keyed container
    #: ``metric_key`` (a headline of cards has no container: ``data-cards`` names it)
    ready: str | None = None


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
    """The app and hello; ``floor`` is hello redrawing ``elements`` more texts, as many
    elements as the app's rerun sends beyond hello's (None when it sends no more)."""

    app: LatencyStats
    hello: LatencyStats
    floor: LatencyStats | None = None
    elements: int = 0

    @property
    def ratio_of_medians(self) -> float:
        return self.app.median_ms / self.hello.median_ms

    @property
    def floor_ratio(self) -> float | None:
        """Streamlit's own cost of redrawing that many elements, against hello."""
        return None if self.floor is None else self.floor.median_ms / self.hello.median_ms

    def report(self) -> str:
        rows = [f"{'':8}{'median':>10}{'p90':>10}{'min':>10}{'n':>5}"]
        for stats in (self.app, self.hello, *([self.floor] if self.floor else [])):
            rows.append(
                f"{stats.name:8}{stats.median_ms:>8.1f}ms{stats.p90_ms:>8.1f}ms"
                f"{min(stats.samples_ms):>8.1f}ms{len(stats.samples_ms):>5}"
            )
        rows.append(f"ratio of medians (app / hello): {self.ratio_of_medians:.2f}")
        if self.floor is not None:
            rows.append(
                f"floor: hello redrawing {self.elements} more texts, as many elements as the app "
                f"redraws; floor / hello {self.floor_ratio:.2f}, "
                f"app / floor {self.app.median_ms / self.floor.median_ms:.2f}"
            )
        return "\n".join(rows)


def cockpit(script: Path = PROJECT_ROOT / "app.py", figure: str = "investment") -> AppUnderTest:
    """The cockpit's budget slider and, by default, its investment headline figure.

    Not the ROI: one ArrowRight step is 1/500 of the slider's range, and the ROI, rounded to
    0.1 %, often keeps its text; the investment moves with every step. The headline's figures
    are one element, so the latency is the same for each.
    """
    return AppUnderTest(
        "app",
        script,
        slider_key="ad_budget",
        metric_key=HEADLINE_KEY,
        watched=figure_selector(figure),
        ready=figure_selector(figure),
    )


def hello(elements: int = 0) -> AppUnderTest:
    """The hello-world floor; with ``elements``, the floor of a page that redraws that many
    more elements and does no work."""
    name, env = ("floor", {ELEMENTS_ENV: str(elements)}) if elements else ("hello", {})
    return AppUnderTest(name, HELLO_APP, slider_key="x", metric_key="out", env=env)


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
    watched = page.locator(opened.watched_selector)
    shown = opened.app.watch_shown
    old_text = (watched.inner_text() if shown else watched.text_content()) or ""
    page.evaluate(ARM_STOPWATCH, [opened.watched_selector, old_text, UI_TIMEOUT_MS, shown])
    before = int(page.evaluate("() => window.__messages"))
    target.press(key)
    latency_ms = float(page.evaluate("() => window.__latencyMs"))
    # The metric may be drawn before the script ends; start the next press from an idle app.
    # A part CSS shows changes before the rerun even starts: wait for the rerun to come first
    # (only then: a page left at rest answers a press more slowly, see the README).
    if shown:
        page.wait_for_function(RERUN_CAME, arg=[before, QUIET_MS], timeout=UI_TIMEOUT_MS)
    wait_for_script_idle(page)
    return latency_ms


def open_app(stack: ExitStack, browser: Browser, app: AppUnderTest) -> OpenApp:
    """Serve the app and load it in a browser context of its own, until ``stack`` closes."""
    url = stack.enter_context(serve_streamlit(app.script, cwd=PROJECT_ROOT, env=app.env))
    context = new_context(browser)
    stack.callback(context.close)
    context.add_init_script(script=COUNT_MESSAGES)
    page = context.new_page()
    page.goto(fresh_session_url(url, app.path))
    if app.sign_in is not None:
        app.sign_in(page)
    ready = page.locator(app.ready) if app.ready else keyed(page, app.metric_key)
    wait_for_app_ready(page, ready)
    if app.prepare is not None:
        app.prepare(page)
        wait_for_script_idle(page)
    return OpenApp(app, page)


def warm_up(opened: OpenApp, presses: int) -> None:
    """Discarded presses: the first reruns import modules and fill caches."""
    for _ in range(presses):
        measure_once(opened)


def messages_per_rerun(opened: OpenApp) -> int:
    """How many websocket messages one press's rerun brings (one per element, and a few)."""
    opened.page.evaluate("() => { window.__messages = 0; }")
    measure_once(opened)
    return int(opened.page.evaluate("() => window.__messages"))


def run_latency(
    rounds: int = 20, warmup: int = 3, app: AppUnderTest | None = None
) -> LatencyResult:
    """Warm the apps up, then alternate their presses (ABC, CBA, ...) for ``rounds``.

    Besides hello, a third app is measured when the app's rerun sends more elements than
    hello's: hello redrawing that many more texts, the floor for a page of that size.
    """
    if not chromium_available():
        raise SystemExit(CHROMIUM_MISSING)
    with sync_playwright() as playwright, ExitStack() as stack:
        browser = launch_chromium(playwright)
        stack.callback(browser.close)
        opened = [open_app(stack, browser, each) for each in (app or cockpit(), hello())]
        for target in opened:
            warm_up(target, warmup)
        extra = messages_per_rerun(opened[0]) - messages_per_rerun(opened[1])
        if extra > 0:
            opened.append(open_app(stack, browser, hello(extra)))
            warm_up(opened[-1], warmup)
        stats = measure_alternately(opened, rounds)
        return LatencyResult(stats[0], stats[1], stats[2] if extra > 0 else None, max(extra, 0))


def measure_alternately(opened: list[OpenApp], rounds: int) -> list[LatencyStats]:
    """``rounds`` presses per app, in alternation (ABC, CBA, ...), then each app's samples;
    an exception on any page fails the run."""
    for round_index in range(rounds):
        # Neither app always goes first, or right after the same other app.
        for target in opened if round_index % 2 == 0 else opened[::-1]:
            target.samples_ms.append(measure_once(target))
    for target in opened:
        assert_no_exception(target.page)
    return [LatencyStats(each.app.name, tuple(each.samples_ms)) for each in opened]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_latency_options(parser)
    return parser.parse_args(argv)


#: Presses per app: a median of 30 moved a page's ratio by about a tenth from run to run, of
#: 20 by more; the meeting page and the cockpit with ranges sit that near their targets.
ROUNDS = 30


def add_latency_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="measured presses per app")
    parser.add_argument("--warmup", type=int, default=3, help="discarded presses per app")
    parser.add_argument(
        "--app", type=Path, default=PROJECT_ROOT / "app.py", help="the app to compare with hello"
    )
    parser.add_argument(
        "--app-figure",
        default="investment",
        help="the cockpit's headline figure that must change (financial_roi, return...)",
    )
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
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="measured presses per app")
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
    return cockpit(args.app, args.app_figure)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    result = run_latency(args.rounds, args.warmup, app_from_args(args))
    print(result.report())
    print(f"(took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
