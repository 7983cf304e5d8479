"""How long the store takes to save and to list on PostgreSQL, against SQLite, in one run.

Both stores act for a signed-in user of a team (team mode checks the user's membership on every
call) and hold one client with 50 saved scenarios of the four-channel preset. "save" is a new
version of one of them (the conflict check and the write, one transaction), "list" the client's
scenarios with who saved each. SQLite is a file in a temporary folder; PostgreSQL a throwaway
local cluster (Debian's server binaries, see tests/postgres_support.py) reached over TCP on
127.0.0.1, so its figures include a network round trip per statement that SQLite never pays.

Run from the project root: ``python -m benchmarks.store_timing``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.model_timing import human_time, median_seconds_per_call

SCENARIOS = 50
PASSWORD = "benchmark password"


@dataclass(frozen=True)
class StoreTiming:
    """Median seconds per save and per list on one backend."""

    backend: str
    save_s: float
    list_s: float


def time_store(location: str, backend: str) -> StoreTiming:
    from roi_model.files.assumptions import SAMPLE_DATA, load_presets
    from roi_model.store import Role, ScenarioStore

    preset = load_presets(SAMPLE_DATA / "presets")["online_shop"]
    with ScenarioStore(location) as server:
        server.add_user("ana", PASSWORD)
        client = server.grant("ana", "Acme", Role.OWNER).client_id
        store = server.as_user(server.find_user("ana"))
        saved = [store.save_new(client, preset, f"Plan {n}") for n in range(SCENARIOS)]
        target = saved[0]

        def save() -> None:
            current = store.summary(target.id)
            store.save(target.id, preset, current.version)

        return StoreTiming(
            backend,
            save_s=median_seconds_per_call(save),
            list_s=median_seconds_per_call(lambda: store.scenarios(client)),
        )


@contextmanager
def _postgres_url() -> Iterator[str | None]:
    """A new database on a throwaway cluster, or None where no server can be started."""
    import pytest

    from tests.postgres_support import throwaway_cluster

    try:
        with throwaway_cluster() as cluster:
            yield cluster.url()
    except (pytest.skip.Exception, pytest.fail.Exception) as reason:
        print(f"PostgreSQL: not measured ({reason})")
        yield None


def run_store_timing() -> list[StoreTiming]:
    with tempfile.TemporaryDirectory(prefix="roi-bench-store-") as folder:
        timings = [time_store(str(Path(folder) / "scenarios.sqlite3"), "SQLite")]
    with _postgres_url() as url:
        if url is not None:
            timings.append(time_store(url, "PostgreSQL"))
    return timings


def report(timings: list[StoreTiming]) -> str:
    lines = [
        f"{t.backend:<10}: save {human_time(t.save_s):>9}, list of {SCENARIOS} "
        f"{human_time(t.list_s):>9}"
        for t in timings
    ]
    if len(timings) == 2:
        sqlite, postgres = timings
        lines.append(
            f"PostgreSQL / SQLite: save {postgres.save_s / sqlite.save_s:.1f}, "
            f"list {postgres.list_s / sqlite.list_s:.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    print(report(run_store_timing()))


if __name__ == "__main__":
    main()
