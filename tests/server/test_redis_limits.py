"""Wrong sign-ins fired at once through 4 gunicorn workers sharing Redis: at most the limit through.

Each wrong password is counted when the request arrives, not after its (slow) password check,
so requests in flight together cannot all pass the check: with counting after the response,
4 workers let 8 of 20 through a limit of 5.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from app import create_app
from app.demo import school as demo
from app.extensions import db
from tests.conftest import CSRF, make_config
from tests.databases import free_port
from tests.server.test_many_workers import _wait_until_up

ROOT = Path(__file__).resolve().parents[2]


def _serve(
    tmp_path, database: str, env_extra: dict, workers: int = 4
) -> tuple[str, subprocess.Popen]:
    """gunicorn with this repository's gunicorn.conf.py serving the demo school (database: URL)."""
    app = create_app(make_config(database))
    with app.app_context():
        demo.load(activity=False)
        db.session.commit()
        db.engine.dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERN_")}
    env |= {
        "LANTERN_DATABASE_URL": database,
        "LANTERN_INSTANCE_PATH": str(tmp_path / "instance"),
        "LANTERN_SECRET_KEY": "redis-limits-test",
        "LANTERN_BIND": f"127.0.0.1:{port}",
        "LANTERN_WORKERS": str(workers),
        "LANTERN_THREADS": "4",
        "LANTERN_ACCESS_LOG": "",
        **env_extra,
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, server)
    return url, server


@pytest.fixture
def limited_server(migrated_db, fresh_database, tmp_path, redis_db):
    """Four gunicorn workers counting sign-in limits in the test's redis-server."""
    # sync workers: 4 requests in flight at once are enough to show the race, and 16 threads'
    # failed-sign-in audit writes at once can outwait SQLite's lock on a loaded 2-core machine
    extra = {"LANTERN_REDIS_URL": redis_db, "LANTERN_THREADS": "1"}
    url, server = _serve(tmp_path, fresh_database(migrated_db), extra)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wrong_sign_ins(url: str, usernames: list[str]) -> Counter:
    """Fetch a form for each, then post every wrong password at the same moment."""
    browsers = []
    for username in usernames:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with opener.open(f"{url}/sign-in", timeout=60) as page:
            match = CSRF.search(page.read().decode())
        browsers.append((opener, username, match.group(1) or match.group(2)))
    together = threading.Barrier(len(browsers), timeout=120)

    def post(browser) -> int:
        opener, username, token = browser
        body = urllib.parse.urlencode(
            {"csrf_token": token, "username": username, "password": "not-the-password"}
        ).encode()
        together.wait()
        try:
            with opener.open(f"{url}/sign-in", data=body, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(len(browsers)) as pool:
        return Counter(pool.map(post, browsers))


def test_twenty_wrong_passwords_at_once_for_one_account_let_five_through(limited_server):
    statuses = _wrong_sign_ins(limited_server, ["teacher"] * 20)
    assert statuses == Counter({401: 5, 429: 15}), statuses


def test_a_hundred_wrong_sign_ins_at_once_from_one_address_let_sixty_through(limited_server):
    statuses = _wrong_sign_ins(limited_server, [f"nobody{n}" for n in range(100)])
    assert statuses == Counter({401: 60, 429: 40}), statuses


@pytest.mark.parametrize("threads", ["1", "4"])  # sync workers, gthread workers
def test_the_master_killed_its_workers_stop_within_seconds(
    migrated_db, fresh_database, tmp_path, redis_db, threads
):
    """kill -9 of gunicorn's master: no orphaned worker goes on serving (gunicorn.conf.py).

    Without the post_fork hook, sync workers went on for half the worker timeout (60 s here);
    with it, they stop once they have finished starting (seconds, on a loaded machine).
    """
    # a long worker timeout: without the hook, sync workers would linger for half of it
    extra = {"LANTERN_REDIS_URL": redis_db, "LANTERN_THREADS": threads}
    extra["LANTERN_WORKER_TIMEOUT"] = "120"
    url, server = _serve(tmp_path, fresh_database(migrated_db), extra, workers=2)
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(children) == 2
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
    deadline = time.monotonic() + 20
    alive = children
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in children if Path(f"/proc/{pid}").exists() and _running(pid)]
    for pid in alive:  # leave nothing behind, whatever happened
        os.kill(int(pid), signal.SIGKILL)
    assert not alive, "workers still running 20 s after their master was killed"
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/health", timeout=2)  # noqa: S310 (loopback)


def _running(pid: str) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
