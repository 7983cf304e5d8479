"""The draft writer: drafts written in a thread of their own, in order, the newest per tab."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from pages._ui.app.draft_writer import SETTLE_S, wait_for_writes, write
from roi_model.store import ScenarioStore
from tests.test_app_scenarios import app

WAIT_S = 10.0


@pytest.fixture
def held() -> Iterator[threading.Event]:
    """The writer kept busy until the event is set (always set when the test ends)."""
    go = threading.Event()
    write("held", lambda: _wait(go))
    yield go
    go.set()
    assert wait_for_writes()


def _wait(go: threading.Event) -> None:
    assert go.wait(WAIT_S), "the test never let the writer go"


def _note(done: list[str], what: str) -> Callable[[], None]:
    return lambda: done.append(what)


def test_writes_run_in_the_order_handed_over(held: threading.Event) -> None:
    done: list[str] = []
    for tab in ("a", "b", "c"):
        write(tab, _note(done, tab))
    held.set()
    assert wait_for_writes()
    assert done == ["a", "b", "c"]


def test_a_tab_s_waiting_write_is_overtaken_by_its_newer_one(held: threading.Event) -> None:
    done: list[str] = []
    first = write("a", _note(done, "a1"))
    write("b", _note(done, "b1"))
    write("a", _note(done, "a2"))
    held.set()
    assert wait_for_writes()
    assert done == ["b1", "a2"]
    assert first.done() and first.exception() is None


def test_presses_in_quick_succession_are_written_once() -> None:
    # an arrow key held down: each press hands its draft over within the settling time
    done: list[str] = []
    started = time.monotonic()
    for press in range(5):
        write("a", _note(done, f"a{press}"))
    assert time.monotonic() - started < SETTLE_S, "the machine was too slow to tell"
    assert wait_for_writes()
    assert done == ["a4"]


def test_a_write_waits_its_settling_time_not_the_ones_before_it() -> None:
    done: list[float] = []
    started = time.monotonic()
    for tab in "abcd":
        write(tab, lambda: done.append(time.monotonic() - started))
    assert wait_for_writes()
    assert len(done) == 4 and min(done) >= SETTLE_S
    assert max(done) < 3.5 * SETTLE_S  # added up, four waits would take 4 * SETTLE_S


def test_a_failed_write_is_told_by_its_future() -> None:
    def fails() -> None:
        raise OSError("disk full")

    future = write("a", fails)
    assert wait_for_writes()
    assert isinstance(future.exception(), OSError)


def test_waiting_gives_up_after_its_timeout(held: threading.Event) -> None:
    assert not wait_for_writes(timeout=0.05)
    held.set()
    assert wait_for_writes()


def test_a_slider_press_does_not_wait_for_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """The press's rerun ends, its figures drawn, while its draft is still being written;
    once written, a new tab of the same session finds it."""
    go = threading.Event()
    writes = ScenarioStore.autosave

    def slow(self: ScenarioStore, *args: object) -> None:
        _wait(go)
        writes(self, *args)  # type: ignore[arg-type]

    at = app()
    monkeypatch.setattr(ScenarioStore, "autosave", slow)
    try:
        at.slider(key="ad_budget").set_value(12345.0).run()
        assert not at.exception
        assert not at.session_state["autosave_write"].done()
        assert at.slider(key="ad_budget").value == 12345.0
    finally:
        go.set()
    assert wait_for_writes()
    again = app(session=str(at.query_params["session"]))
    assert again.slider(key="ad_budget").value == 12345.0


def test_the_writer_is_one_thread() -> None:
    names: list[str] = []
    for _ in range(3):
        write("a", lambda: names.append(threading.current_thread().name))
    assert wait_for_writes()
    assert len(set(names)) == 1 and names[0].startswith("draft-writer")
