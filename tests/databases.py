"""The test run's databases: SQLite files, or a throwaway PostgreSQL cluster (`--database`).

`pytest` runs on SQLite; `pytest --database postgresql` (or LANTERN_TEST_DATABASE=postgresql)
starts a real PostgreSQL server in a temporary folder on a free loopback port, gives every test
its own database (CREATE DATABASE ... TEMPLATE a migrated one, dropped after the test: about
0.3 s to make and 0.2 s to drop on a busy 2-core machine, against 0.8 s and 0.07 s with
STRATEGY FILE_COPY, whose checkpoints cost more) and stops the server when the run ends,
however it ends. A watchdog process stops
it too if pytest itself is killed. Where PostgreSQL cannot be had, the run fails and says why.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

CHOICES = ("sqlite", "postgresql")
SERVER_SETTINGS = {
    # a throwaway cluster: nothing need survive a crash, so skip what makes commits durable
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "listen_addresses": "127.0.0.1",
}


def pytest_addoption(parser) -> None:
    """--database sqlite|postgresql: which database every test runs on."""
    parser.addoption(
        "--database",
        choices=CHOICES,
        default=os.environ.get("LANTERN_TEST_DATABASE", "sqlite"),
        help="run the tests on SQLite files or on a throwaway PostgreSQL server",
    )


def pytest_report_header(config) -> str:
    """Say which database the run uses, first thing."""
    return f"database: {config.getoption('--database')}"


def pytest_configure(config) -> None:
    """Start PostgreSQL for a --database postgresql run (fails the run when it cannot)."""
    if config.getoption("--database") == "postgresql":
        try:
            config._lantern_databases = Cluster.start()
        except ClusterError as error:
            raise pytest.UsageError(f"PostgreSQL is needed for this run: {error}") from None
    else:
        config._lantern_databases = SqliteFiles()


def pytest_unconfigure(config) -> None:
    """Stop the cluster, whether the tests passed, failed or were interrupted."""
    databases = getattr(config, "_lantern_databases", None)
    if databases is not None:
        databases.stop()


@pytest.fixture(scope="session")
def databases(pytestconfig) -> SqliteFiles | Cluster:
    """Where this run's test databases are made: SqliteFiles or Cluster (same methods)."""
    return pytestconfig._lantern_databases


class SqliteFiles:
    """Test databases as SQLite files: a copy of a template file per test."""

    name = "sqlite"

    def new(self, hint: Path) -> str:
        """An empty database, as a URL (hint: the file to use)."""
        return f"sqlite:///{hint}"

    def copy(self, template: str, hint: Path) -> str:
        """A copy of the template database's URL, as a URL (hint: the file to copy to)."""
        shutil.copy(sa.engine.make_url(template).database, hint)
        return f"sqlite:///{hint}"

    def drop(self, url: str) -> None:
        """Nothing to do: the file goes with its temporary folder."""

    def stop(self) -> None:
        """Nothing to stop."""


class ClusterError(Exception):
    """Why PostgreSQL could not be started for the tests."""


def _binaries() -> Path:
    """The folder holding postgres, initdb and pg_ctl: on PATH, else Debian's newest version."""
    on_path = shutil.which("postgres") or shutil.which("initdb")
    if on_path:
        folder = Path(os.path.realpath(on_path)).parent
        if (folder / "postgres").exists() and (folder / "initdb").exists():
            return folder
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0)
    )
    for folder in map(Path, reversed(versions)):
        if (folder / "postgres").exists() and (folder / "initdb").exists():
            return folder
    raise ClusterError(
        "no PostgreSQL server binaries (initdb, postgres) on PATH or in "
        "/usr/lib/postgresql/*/bin. Install Debian's postgresql package "
        "(apt-get install postgresql; `make test` does this when run as root)."
    )


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root: run it as `postgres` (or `nobody`) when we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ClusterError("running as root, and there is no postgres or nobody user to run it as")


class Cluster:
    """A PostgreSQL server of our own: a temporary folder, a free port, trust auth on loopback."""

    name = "postgresql"
    USER = "lantern"

    def __init__(self, folder: Path, port: int, server: subprocess.Popen, watchdog) -> None:
        self.folder, self.port, self.server, self.watchdog = folder, port, server, watchdog
        self._numbers = itertools.count(1)
        self.admin = sa.create_engine(
            self.url("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )

    @classmethod
    def start(cls) -> Cluster:
        """initdb a new cluster in a temporary folder and start its server."""
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise ClusterError(
                "psycopg is not installed: pip install -e '.[postgres]' (make test does)"
            ) from None
        binaries, user = _binaries(), _server_user()
        folder = Path(tempfile.mkdtemp(prefix="lantern-postgres-"))
        data = folder / "data"
        if user:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        made = subprocess.run(
            [str(binaries / "initdb"), "-D", str(data), "-U", cls.USER, "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
            user=user, capture_output=True, text=True, cwd=folder, check=False,
        )  # fmt: skip
        if made.returncode:
            shutil.rmtree(folder, ignore_errors=True)
            raise ClusterError(f"initdb failed: {made.stderr.strip() or made.stdout.strip()}")
        port = free_port()
        settings = {**SERVER_SETTINGS, "port": str(port), "unix_socket_directories": str(folder)}
        args = [str(binaries / "postgres"), "-D", str(data)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        log = (folder / "server.log").open("w")
        # its own session: Ctrl+C reaches pytest, which then stops the server in order
        server = subprocess.Popen(
            args, user=user, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        watchdog = subprocess.Popen(
            ["sh", "-c", WATCHDOG, "watchdog", str(os.getpid()), str(server.pid), str(folder)],
            start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        cluster = cls(folder, port, server, watchdog)
        cluster._wait_until_up()
        return cluster

    def _wait_until_up(self) -> None:
        """Wait for the server to accept connections (a minute at most)."""
        deadline = time.monotonic() + 60
        while True:
            if self.server.poll() is not None:
                said = (self.folder / "server.log").read_text()[-2000:]
                self.stop()
                raise ClusterError(f"the server exited while starting:\n{said}")
            try:
                with self.admin.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
                return
            except sa.exc.OperationalError as error:
                if time.monotonic() > deadline:
                    self.stop()
                    raise ClusterError(f"no connection within a minute: {error}") from None
                time.sleep(0.1)

    def url(self, database: str, user: str | None = None) -> str:
        """The SQLAlchemy URL of one database on this server."""
        return f"postgresql+psycopg://{user or self.USER}@127.0.0.1:{self.port}/{database}"

    def new(self, hint: Path | None = None) -> str:
        """An empty database, as a URL."""
        name = f"test_{next(self._numbers)}"
        self._execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def copy(self, template: str, hint: Path | None = None) -> str:
        """A new database made from the template database's URL, as a URL."""
        name = f"test_{next(self._numbers)}"
        source = sa.engine.make_url(template).database
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop a test's database, closing whatever connections it left open."""
        name = sa.engine.make_url(url).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def replace(self, url: str, template: str) -> None:
        """Make the database at url again as a copy of the template database (same name)."""
        name, source = sa.engine.make_url(url).database, sa.engine.make_url(template).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')

    def _execute(self, sql: str) -> None:
        """Run one statement on the server's maintenance database."""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(sql)

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        self.admin.dispose()
        if self.server.poll() is None:
            self.server.send_signal(signal.SIGQUIT)  # immediate shutdown: nothing to keep
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        if self.watchdog.poll() is None:
            self.watchdog.kill()
            self.watchdog.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


WATCHDOG = """
while kill -0 "$1" 2>/dev/null; do sleep 2; done
kill -QUIT "$2" 2>/dev/null
sleep 2
kill -KILL "$2" 2>/dev/null
rm -rf "$3"
"""
"""Stops the server and removes its folder if pytest ($1) dies without doing so (kill -9)."""
