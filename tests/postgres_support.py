"""A throwaway PostgreSQL cluster for the store's tests: Debian's server binaries, a data folder
of its own, a free local port, trust authentication on 127.0.0.1 only, gone after the run.

The server refuses to run as root, so under root it runs as the unprivileged ``postgres`` user
that Debian's package creates (or ``nobody``). Where the binaries are missing the tests that
need them skip loudly on a developer's machine; in CI (``CI`` set) they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SUPERUSER = "roi"


def server_binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: Debian's newest, else those on the PATH."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_major)
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _major(path: Path) -> int:
    name = path.parent.parent.name
    return int(name) if name.isdigit() else 0


def missing(reason: str) -> None:
    """Skip loudly here, fail in CI: there the server is part of what is tested."""
    message = f"PostgreSQL tests cannot run: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_as() -> str | None:
    """The unprivileged account to run the server as when we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    return None


def _command(args: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *args] if user else args


class Cluster:
    """A running throwaway server: :meth:`url` of a new empty database, :meth:`stop` and
    :meth:`start` (the fault tests stop it under a running app)."""

    def __init__(self, binaries: Path, folder: Path, user: str | None) -> None:
        self.binaries, self.folder, self.user = binaries, folder, user
        self.port = _free_port()
        self.data = folder / "data"
        self._databases = 0

    def _run(self, *args: str) -> None:
        subprocess.run(
            _command([str(self.binaries / args[0]), *args[1:]], self.user),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self) -> str:
        """A new, empty database on the server."""
        import psycopg

        self._databases += 1
        name = f"store_{self._databases}"
        with psycopg.connect(self.admin_url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.admin_url(name)

    def admin_url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A new cluster, started; stopped and deleted afterwards."""
    binaries = server_binaries()
    if binaries is None:
        missing("no PostgreSQL server binaries (Debian: apt-get install postgresql)")
        raise AssertionError("unreachable")
    user = _run_as()
    if os.geteuid() == 0 and user is None:
        missing("running as root with no unprivileged account to run the server")
    folder = Path(tempfile.mkdtemp(prefix="roi-postgres-"))
    if user is not None:
        shutil.chown(folder, user)
    cluster = Cluster(binaries, folder, user)
    try:
        cluster.create()
        cluster.start()
    except subprocess.CalledProcessError as error:
        shutil.rmtree(folder, ignore_errors=True)
        output = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-3:]
        missing(f"the throwaway server did not start: {' / '.join(output)}")
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
