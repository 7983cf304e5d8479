"""Drafts are written to the store by a thread of their own: no slider press waits for it.

A widget's callback keeps the draft (:func:`pages._ui.app.state.autosave`) before its rerun
starts, so the rerun waited for every write: about 1.5 ms on the embedded SQLite store, a round
trip on a team's PostgreSQL server, and up to the pool's 2 s wait while that server is away, on
every press. One writer thread for the whole server keeps the writes in the order they were
handed over; a session learns how its last finished write went from the ``Future`` it got
back. Python finishes the thread's pending writes before the server's process ends.

A write waits until :data:`SETTLE_S` after it was handed over: the press's rerun computes and
sends its figures meanwhile, without the write competing for the two cores and the
interpreter, and presses in quick succession (an arrow key held down) are written once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong

#: Long enough for a write to a busy database (the store's own busy timeout is 5 s).
WAIT_S = 10.0

#: How long after its press a draft is written: longer than a press takes to send its figures.
SETTLE_S = 0.05

_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="draft-writer")
_LOCK = threading.Lock()
_NEWEST: dict[str, object] = {}  # per key, the ticket of the newest write handed over


def write(key: str, save: Callable[[], None]) -> Future[None]:
    """Run ``save`` in the writer thread, after every write handed over before it. A write
    that a newer one of the same ``key`` (a tab's draft) overtakes while it waits is skipped:
    the newer one holds all of it, and a server that is away is not waited for once a press."""
    ticket, due = object(), time.monotonic() + SETTLE_S
    with _LOCK:
        _NEWEST[key] = ticket
    return _WRITER.submit(_unless_overtaken, key, ticket, due, save)


def _unless_overtaken(key: str, ticket: object, due: float, save: Callable[[], None]) -> None:
    # each write has its own due time: writes queued behind one another do not add up waits
    time.sleep(max(0.0, due - time.monotonic()))
    with _LOCK:
        if _NEWEST.get(key) is not ticket:
            return
        del _NEWEST[key]
    save()


def wait_for_writes(timeout: float = WAIT_S) -> bool:
    """Whether every write handed over so far has finished (or failed) within ``timeout``:
    waited for before a new session reads the store, and in tests."""
    try:
        _WRITER.submit(lambda: None).result(timeout)
    except WaitedTooLong:
        return False
    return True
