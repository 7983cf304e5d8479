"""Helpers for real-browser tests and benchmarks: a Streamlit server, Debian's chromium, waits.

Plain functions and context managers (no pytest fixtures), so that tests and
``python -m benchmarks`` share them. The browser is always Debian's ``/usr/bin/chromium``:
Playwright's own browser downloads do not work here.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from roi_model.store import DB_ENV_VAR

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CHROMIUM_MISSING = (
    f"Debian chromium not found at {CHROMIUM_PATH}: browser tests skipped; "
    "install it with apt-get install chromium"
)
CHROMIUM_MISSING_IN_CI = (
    f"Debian chromium not found at {CHROMIUM_PATH}, and CI is set, so browser tests fail "
    "instead of skipping; install it with apt-get install chromium"
)
SERVER_START_TIMEOUT_S = 60.0
SERVER_STOP_TIMEOUT_S = 10.0
# Cold imports (pandas, altair) and a first script run take seconds on a slow machine.
UI_TIMEOUT_MS = 30_000

SESSION_PARAM = "session"  # the app's autosave token in the URL
# Wide enough that Streamlit shows the sidebar expanded.
VIEWPORT: ViewportSize = {"width": 1400, "height": 900}

APP_SELECTOR = '[data-testid="stApp"]'
EXCEPTION_SELECTOR = '[data-testid="stException"]'


def fresh_session_url(url: str, page_path: str = "") -> str:
    """The app's URL (or one of its pages') for a new tab of its own: a fresh autosave token,
    so that the tab starts from the default scenario instead of the newest work of another."""
    return f"{url}/{page_path}?{SESSION_PARAM}=t{secrets.token_hex(8)}"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it; a tiny race remains)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def streamlit_command(script_path: Path, port: int) -> list[str]:
    """The ``streamlit run`` command line: headless, local only, no telemetry, no file watcher."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script_path),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


@contextmanager
def serve_streamlit(
    script_path: str | Path,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> Iterator[str]:
    """Run ``streamlit run script_path`` until the block ends; yield its base URL.

    ``env`` is added to the current environment; ``cwd`` defaults to the script's folder.
    Unless ``env`` names one, the server saves scenarios in a database of its own that is
    deleted afterwards, never in the user's data folder.
    The server's output goes to a temporary file, not a pipe: an undrained pipe fills up and
    blocks the server, and the file is what the error shows if the server never gets healthy.
    """
    script = Path(script_path).resolve()
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    with (
        tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log,
        tempfile.TemporaryDirectory(prefix="roi-store-") as store_dir,
    ):
        own_store = {DB_ENV_VAR: str(Path(store_dir) / "scenarios.sqlite3")}
        process = subprocess.Popen(
            streamlit_command(script, port),
            cwd=str(cwd or script.parent),
            env={**os.environ, **own_store, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(base_url, process, log)
            yield base_url
        finally:
            stop_process(process)


def wait_until_healthy(
    base_url: str,
    process: subprocess.Popen[bytes],
    log: IO[str],
    timeout_s: float = SERVER_START_TIMEOUT_S,
) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok``; raise with the server's output if not."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(server_failure(f"exited with code {process.returncode}", log))
        if health_says_ok(f"{base_url}/_stcore/health"):
            return
        time.sleep(0.2)
    raise RuntimeError(server_failure(f"was not healthy after {timeout_s:.0f} s", log))


def health_says_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.read().decode().strip() == "ok")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def server_failure(what: str, log: IO[str]) -> str:
    log.seek(0)
    return f"Streamlit server {what}. Its output:\n{log.read()[-5000:]}"


def stop_process(
    process: subprocess.Popen[bytes], timeout_s: float = SERVER_STOP_TIMEOUT_S
) -> None:
    """SIGTERM (Streamlit shuts down cleanly), then SIGKILL if it does not exit in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def chromium_available() -> bool:
    return CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)


def running_in_ci() -> bool:
    """``CI`` set to anything but an explicit no (``""``, ``0``, ``false``, ``no``)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def require_chromium() -> None:
    """Skip the calling test loudly without chromium; fail instead in CI, where it must exist."""
    if chromium_available():
        return
    if running_in_ci():
        pytest.fail(CHROMIUM_MISSING_IN_CI, pytrace=False)
    pytest.skip(CHROMIUM_MISSING)


@contextmanager
def chromium_session() -> Iterator[Browser]:
    """Debian's chromium for a test module (skips, or fails in CI, when it is missing)."""
    require_chromium()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def new_context(browser: Browser, locale: str = "en-US") -> BrowserContext:
    """A fresh browser profile (no cookies, so a Streamlit session of its own), sidebar shown."""
    context = browser.new_context(viewport=VIEWPORT, locale=locale)
    context.set_default_timeout(UI_TIMEOUT_MS)
    return context


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's headless chromium with the flags this environment needs (no sandbox, no GPU)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM_PATH), headless=True, args=list(CHROMIUM_ARGS)
    )


def wait_for_app_ready(page: Page, ready: Locator, timeout_ms: float = UI_TIMEOUT_MS) -> None:
    """Wait until Streamlit's root is in the page and ``ready`` (e.g. a headline) is visible."""
    expect(page.locator(APP_SELECTOR)).to_be_attached(timeout=timeout_ms)
    expect(ready).to_be_visible(timeout=timeout_ms)


def wait_for_text_change(locator: Locator, old_text: str, timeout_ms: float = UI_TIMEOUT_MS) -> str:
    """Wait until ``locator``'s text differs from ``old_text``; return the new text.

    This is how to know a rerun has reached the page: Streamlit's "Running..." indicator only
    appears after 500 ms, so waiting for it to vanish can pass before the rerun even started.
    """
    expect(locator).to_be_visible(timeout=timeout_ms)
    # innerText, as old_text was read: textContent runs cells together (no space between them)
    expect(locator).not_to_have_text(old_text, timeout=timeout_ms, use_inner_text=True)
    return locator.inner_text()


def wait_for_script_idle(page: Page, timeout_ms: float = UI_TIMEOUT_MS) -> None:
    """Wait until the script run is over (Streamlit's ``data-test-script-state`` attribute).

    Only meaningful once a rerun is known to have started (e.g. after a text change): right
    after a widget change the state is still "notRunning" while the widget debounces.
    """
    expect(page.locator(APP_SELECTOR)).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout_ms
    )


def keyed(page: Page, key: str) -> Locator:
    """The element container of a widget or container created with ``key=...``.

    Streamlit puts the class ``st-key-<key>`` on it; address things by key, not by position.
    """
    return page.locator(f".st-key-{key}")


def slider_thumb(page: Page, key: str) -> Locator:
    """The keyboard-focusable thumb of ``st.slider(..., key=key)``.

    By ARIA role, not ``[role="slider"]``: since Streamlit's move to react-aria the thumb is a
    visually hidden ``<input type="range">``, whose slider role is implicit.
    """
    return keyed(page, key).get_by_role("slider")


def slider_position(thumb: Locator) -> tuple[float, float, float]:
    """The thumb's (value, min, max), from the range input or from ``aria-value*``."""
    value, low, high = thumb.evaluate(
        """el => {
            const read = (attr, aria) => Number(el.getAttribute(attr) ?? el.getAttribute(aria));
            const value = el.value ?? el.getAttribute("aria-valuenow");  // input or div
            return [Number(value), read("min", "aria-valuemin"), read("max", "aria-valuemax")];
        }"""
    )
    return float(value), float(low), float(high)


def step_key_away_from_end(thumb: Locator, preferred: str = "ArrowRight") -> str:
    """``preferred`` (ArrowRight or PageUp), or its opposite if the thumb is already at the max."""
    value, _, high = slider_position(thumb)
    opposite = {"ArrowRight": "ArrowLeft", "PageUp": "PageDown"}[preferred]
    return opposite if value >= high else preferred


def metric_value(page: Page, container_key: str) -> Locator:
    """The value of the ``st.metric`` inside ``st.container(key=container_key)``."""
    return keyed(page, container_key).locator('[data-testid="stMetricValue"]')


#: The cockpit's headline: one element of cards (``pages/_ui/widgets/figure_cards.py``).
HEADLINE_KEY = "kpi_headline"


def cards_selector(cards: str) -> str:
    """CSS for the element of cards named ``cards`` (``figure_cards``' key)."""
    return f'[data-cards="{cards}"]'


def figure_selector(name: str, part: str = "value", cards: str = HEADLINE_KEY) -> str:
    """CSS for a part (``label``, ``value`` or ``detail``) of the figure ``name`` among the
    cards keyed ``cards``: by default the cockpit's headline (``investment``,
    ``financial_roi``...)."""
    return f'{cards_selector(cards)} [data-figure="{name}"] .{part}'


def headline_figure(page: Page, name: str, part: str = "value") -> Locator:
    """A part of the cockpit's headline figure ``name``, as :func:`figure_selector`."""
    return page.locator(figure_selector(name, part))


#: The data grid's row height in pixels (Streamlit's default), header row included.
GRID_ROW_HEIGHT = 35
GRID_EDIT_ATTEMPTS = 4
GRID_EDIT_WAIT_MS = 3_000


def open_grid_cell(grid: Locator, row: int, x_fraction: float, opened: Locator) -> None:
    """Double-click the cell ``row`` rows below the header, ``x_fraction`` across ``grid``
    (``st.data_editor``'s canvas), until its editor (``opened``) shows.

    The grid paints its canvas after it is attached, and a rerun may redraw it under the
    pointer: a double click that lands in either moment opens nothing, so it is tried again.
    """
    page = grid.page
    for _ in range(GRID_EDIT_ATTEMPTS):
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        assert box is not None
        y = box["y"] + GRID_ROW_HEIGHT * row + GRID_ROW_HEIGHT // 2
        page.mouse.dblclick(box["x"] + box["width"] * x_fraction, y)
        try:
            opened.wait_for(timeout=GRID_EDIT_WAIT_MS)
            return
        except Error:
            page.keyboard.press("Escape")  # whatever half-opened, closed before the next try
    opened.wait_for(timeout=GRID_EDIT_WAIT_MS)  # fails with Playwright's own message


def choose_option(page: Page, key: str, option: str) -> None:
    """Pick ``option`` in ``st.selectbox(..., key=key)``: open the combobox, click the option."""
    keyed(page, key).get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()


def selected_option(page: Page, key: str) -> str:
    """The option ``st.selectbox(..., key=key)`` shows as chosen."""
    return keyed(page, key).get_by_role("combobox").input_value()


def assert_no_exception(page: Page) -> None:
    """No Streamlit exception box (``st.exception`` or an uncaught error) on the page."""
    boxes = page.locator(EXCEPTION_SELECTOR)
    if boxes.count():
        texts = "\n---\n".join(boxes.all_inner_texts())
        raise AssertionError(f"{boxes.count()} exception(s) shown on the page:\n{texts}")


@contextmanager
def collect_console_errors(page: Page) -> Iterator[list[str]]:
    """Collect the page's console errors and uncaught JavaScript errors while the block runs.

    Failed loads of resources outside the app (favicons, fonts, telemetry) are noise here, not
    app errors; they are dropped. Check the list after the block, or while it is open.
    """
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not is_network_noise(message):
            errors.append(f"console: {message.text} ({message.location.get('url', '?')})")

    def on_page_error(error: Error) -> None:
        errors.append(f"uncaught: {error.name}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield errors
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)


def is_network_noise(message: ConsoleMessage) -> bool:
    text = message.text
    return text.startswith("Failed to load resource") or "net::ERR_" in text


def open_cockpit(page: Page, url: str) -> None:
    """Load the cockpit and wait until its first run has drawn the figures and ended."""
    page.goto(url)
    wait_for_app_ready(page, headline_figure(page, "financial_roi"))
    wait_for_script_idle(page)


def nudge_budget(page: Page) -> str:
    """Press PageUp (or PageDown at the end) on the budget slider; the new investment text."""
    investment = headline_figure(page, "investment")
    thumb = slider_thumb(page, "ad_budget")
    before = investment.inner_text()
    thumb.press(step_key_away_from_end(thumb, "PageUp"))
    moved = wait_for_text_change(investment, before)
    wait_for_script_idle(page)
    return moved
