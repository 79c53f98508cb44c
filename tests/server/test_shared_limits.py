"""Several gunicorn workers need shared rate-limit storage, or they refuse to start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import shared_limits_problem

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("workers", "environ", "refused"),
    [
        (1, {}, False),
        (4, {}, True),
        (4, {"LANTERN_REDIS_URL": "redis://127.0.0.1:6379/0"}, False),
        (4, {"LANTERN_RATELIMIT": "0"}, False),
        (4, {"LANTERN_RATELIMIT": "on"}, True),
    ],
)
def test_several_workers_need_limits_they_share(workers, environ, refused):
    assert (shared_limits_problem(workers, environ) is not None) is refused


def test_gunicorn_refuses_four_workers_counting_limits_on_their_own(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERN_")}
    env |= {
        "LANTERN_INSTANCE_PATH": str(tmp_path),
        "LANTERN_DATABASE_URL": f"sqlite:///{tmp_path / 'lantern.db'}",
    }
    started = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-w", "4", "-b", "127.0.0.1:0", "wsgi:app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "LANTERN_REDIS_URL" in started.stderr and "4 workers" in started.stderr
