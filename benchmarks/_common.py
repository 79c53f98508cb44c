"""Shared by the benchmark scripts: an app on a throwaway or given database, with a trust in it."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.demo import trust  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import School  # noqa: E402

PASSWORD = "benchmark-password"  # noqa: S105 - made-up accounts in a throwaway database
FAST_HASH = {"LANTERN_PASSWORD_METHOD": "scrypt:1024:8:1"}  # noqa: S105
"""For scripts that count or time pages, not sign-ins: the demo's passwords hash quickly."""


def config(url: str, **extra) -> dict:
    """Settings for a benchmark app on the database at url (never instance/)."""
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "benchmark",
        "LANTERN_CHAIN_KEY": "benchmark",
        "LANTERN_MFA_REQUIRED": False,
        **extra,
    }


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    """The given database URL, or a fresh SQLite file in a temporary folder for the run."""
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


def app_with_trust(url: str, schools: int, pupils: int, password: bool = False, **extra) -> Flask:
    """An app on url, migrated, holding a generated trust (made now unless one is there)."""
    app = create_app(config(url, **extra))
    with app.app_context():
        upgrade()
        if not db.session.scalar(sa.select(School.id).where(School.urn.like("998%")).limit(1)):
            from app.services.auth import hash_secret

            started = time.perf_counter()
            hashed = hash_secret(PASSWORD) if password else None
            trust.generate(schools, pupils, password_hash=hashed)
            print(f"generated {schools} school(s), {pupils:,} pupils in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        db.session.remove()
    return app


def median_ms(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of work() over repeat runs, after a warm-up.

    On a shared machine wall time includes waiting for a core; CPU time is this process's own.
    """
    work()
    wall, cpu = [], []
    for _ in range(repeat):
        db.session.expire_all()
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def machine() -> str:
    """The machine the figures were measured on, and how busy it was."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average {load}")  # fmt: skip
