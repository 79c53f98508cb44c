"""Sixteen pupils saving steps at once through a real multi-worker gunicorn, on SQLite.

Every request notes activity (the "last seen" interval is one second here), so writes from four
worker processes interleave as they do in a classroom: no request may fail with a server error.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
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
import sqlalchemy as sa

from app import create_app
from app.content import lessons
from app.demo import school as demo
from app.extensions import db
from app.models import LessonProgress, Role
from tests import factories
from tests.conftest import CSRF, FAST_HASH, make_config

ROOT = Path(__file__).resolve().parents[2]
PUPILS = 16
AT_ONCE = 20  # people signing in and pressing Cymraeg in the same moment
SECONDS = 15
TEXT_HASH = re.compile(r'name="text_hash" type="hidden" value="([0-9a-f]{64})"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(migrated_db, tmp_path):
    """The demo school plus 16 Year 8 pupils, served by gunicorn with 4 workers."""
    path = tmp_path / "lantern.db"
    shutil.copy(migrated_db, path)
    app = create_app(make_config(path))
    with app.app_context():
        school = demo.load(activity=False)
        for n in range(max(PUPILS, AT_ONCE)):
            factories.user(school, Role.PUPIL, username=f"load{n}", year=8)
        db.session.commit()
        db.engine.dispose()
        # a lesson pupils may open on their own (a teacher-led one waits until it is taught)
        lesson = next(x for x in lessons().by_band("ks3") if not x.teacher_led)
        steps, lesson_id = [step.id for step in lesson.steps], lesson.id
    port = _free_port()
    env = {
        **os.environ,
        "LANTERN_DATABASE_URL": f"sqlite:///{path}",
        "LANTERN_INSTANCE_PATH": str(tmp_path / "instance"),
        "LANTERN_SECRET_KEY": "many-workers-test",
        "LANTERN_PASSWORD_METHOD": FAST_HASH,
        "LANTERN_RATELIMIT": "0",  # every sign-in comes from one address here
        "LANTERN_LAST_SEEN_SECONDS": "1",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url, path, f"/pupil/lessons/{lesson_id}", steps
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited while starting"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=10):  # noqa: S310 (loopback)
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise AssertionError("gunicorn did not start within a minute")


class Pupil:
    """One browser: cookies, and the status of every request it made."""

    def __init__(self, url: str, username: str):
        self.url, self.username, self.statuses = url, username, Counter()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        return self._open(urllib.request.Request(self.url + path))  # noqa: S310 (loopback)

    def post(self, path: str, data: dict) -> str:
        body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.url + path, data=body, method="POST")  # noqa: S310
        return self._open(req)

    def _open(self, req: urllib.request.Request) -> str:
        try:
            with self.opener.open(req, timeout=60) as response:
                self.statuses[response.status] += 1
                return response.read().decode()
        except urllib.error.HTTPError as error:
            self.statuses[error.code] += 1
            return error.read().decode()

    def token(self, page: str) -> str:
        match = CSRF.search(page)
        assert match, f"{self.username}: no form on the page"
        return match.group(1) or match.group(2)

    def sign_in_and_agree(self) -> None:
        page = self.get("/sign-in")
        data = {"username": self.username, "password": factories.PASSWORD}
        page = self.post("/sign-in", {"csrf_token": self.token(page), **data})
        text_hash = TEXT_HASH.search(page).group(1)
        self.post("/aup/accept", {"csrf_token": self.token(page), "text_hash": text_hash})

    def work(self, step_url: str, until: float) -> None:
        n = 0
        while time.monotonic() < until:
            page = self.get(step_url)
            self.post(step_url, {"csrf_token": self.token(page)})
            n += 1
            if n % 5 == 0:  # and now and then press Cymraeg or English, as a class does
                self.post(
                    "/language",
                    {
                        "csrf_token": self.token(page),
                        "lang": "cy" if n % 2 else "en",
                        "next": step_url,
                    },
                )


def test_sixteen_pupils_saving_steps_through_four_workers_get_no_server_error(gunicorn):
    url, path, lesson_url, steps = gunicorn
    step_url = f"{lesson_url}/{steps[0]}"
    pupils = [Pupil(url, f"load{n}") for n in range(PUPILS)]
    with ThreadPoolExecutor(PUPILS) as pool:
        list(pool.map(Pupil.sign_in_and_agree, pupils))
        until = time.monotonic() + SECONDS
        list(pool.map(lambda pupil: pupil.work(step_url, until), pupils))
    statuses = sum((pupil.statuses for pupil in pupils), Counter())
    errors = {code: n for code, n in statuses.items() if code >= 500}
    assert not errors, f"server errors: {errors} of {sum(statuses.values())} requests"
    assert statuses[200] > PUPILS * 10, statuses
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        saved = connection.scalar(
            sa.select(sa.func.count())
            .select_from(LessonProgress)
            .where(LessonProgress.current_step == steps[1])
        )
    engine.dispose()
    assert saved == PUPILS, "every pupil's step was saved"


def test_twenty_people_signing_in_and_switching_language_at_once_get_no_server_error(gunicorn):
    """A class told "sign in, then press Cymraeg": every request at the same moment, twice."""
    url = gunicorn[0]
    people = [Pupil(url, f"load{n}") for n in range(AT_ONCE)]
    together = threading.Barrier(AT_ONCE, timeout=120)

    def sign_in_then_switch(person: Pupil) -> str:
        page = person.get("/sign-in")
        together.wait()
        data = {"username": person.username, "password": factories.PASSWORD}
        page = person.post("/sign-in", {"csrf_token": person.token(page), **data})
        together.wait()
        choice = {"csrf_token": person.token(page), "lang": "cy", "next": "/aup"}
        return person.post("/language", choice)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        pages = list(pool.map(sign_in_then_switch, people))
    statuses = sum((person.statuses for person in people), Counter())
    errors = {code: n for code, n in statuses.items() if code >= 500}
    assert not errors, f"server errors: {errors} of {sum(statuses.values())} requests"
    assert all('<html lang="cy' in page for page in pages), statuses  # all now in Welsh
