"""Pupils saving steps and agreeing at once through a real multi-worker gunicorn.

Runs on the run's database (SQLite, or PostgreSQL with --database postgresql). Every request
notes activity (the "last seen" interval is one second here), so writes from four worker
processes interleave as they do in a classroom: no request may fail with a server error. A
class agreeing to the AUP at the same moment appends to one school's hash chain from every
worker: the chain must stay one unbroken line (`flask aup verify`), and every agreement a pupil
was told was recorded must be in it, even when workers are killed (kill -9) mid-request.
"""

from __future__ import annotations

import os
import random
import re
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
from http.client import HTTPException
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.content import lessons
from app.demo import school as demo
from app.extensions import db
from app.models import Acceptance, LessonProgress, Role, User
from tests import factories
from tests.conftest import CSRF, FAST_HASH, make_config
from tests.databases import free_port

ROOT = Path(__file__).resolve().parents[2]
PUPILS = 16
AT_ONCE = 20  # people signing in and pressing Cymraeg in the same moment
AGREEING = 40  # a class and a half agreeing to the AUP in the same moment
RECORDED = "Your agreement was recorded"
KILLS = 8  # workers killed (kill -9) while a class agrees
KILL_WAVES = 12  # at most, sign-ins of the class one after another until enough were killed
SECONDS = 15
TEXT_HASH = re.compile(r'name="text_hash" type="hidden" value="([0-9a-f]{64})"')


@pytest.fixture
def gunicorn(migrated_db, fresh_database, tmp_path):
    """The demo school plus 40 Year 8 pupils, served by gunicorn with 4 workers."""
    database = fresh_database(migrated_db)
    app = create_app(make_config(database))
    with app.app_context():
        school = demo.load(activity=False)
        for n in range(max(PUPILS, AT_ONCE, AGREEING)):
            factories.user(school, Role.PUPIL, username=f"load{n}", year=8)
        db.session.commit()
        db.engine.dispose()
        # a lesson pupils may open on their own (a teacher-led one waits until it is taught)
        lesson = next(x for x in lessons().by_band("ks3") if not x.teacher_led)
        steps, lesson_id = [step.id for step in lesson.steps], lesson.id
    port = free_port()
    env = {
        **os.environ,
        "LANTERN_DATABASE_URL": database,
        "LANTERN_CHAIN_KEY": "many-workers-chain-key",
        "LANTERN_INSTANCE_PATH": str(tmp_path / "instance"),
        "LANTERN_SECRET_KEY": "many-workers-test",
        "LANTERN_PASSWORD_METHOD": FAST_HASH,
        "LANTERN_RATELIMIT": "0",  # every sign-in comes from one address here
        "LANTERN_LAST_SEEN_SECONDS": "1",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "4",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield Served(url, database, f"/pupil/lessons/{lesson_id}", steps, server, env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


class Served:
    """What the gunicorn fixture gives a test: the server, its database and a lesson."""

    def __init__(self, url, database, lesson_url, steps, server, env) -> None:
        self.url, self.database, self.lesson_url, self.steps = url, database, lesson_url, steps
        self.server, self.env = server, env

    def __iter__(self):
        return iter((self.url, self.database, self.lesson_url, self.steps))

    def workers(self) -> list[int]:
        """The process ids of gunicorn's workers now."""
        pid = self.server.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def count(self, query: sa.Select) -> int:
        """Run a COUNT query on the served database from outside the server."""
        engine = sa.create_engine(self.database)
        try:
            with engine.connect() as connection:
                return connection.scalar(query)
        finally:
            engine.dispose()

    def verify(self) -> subprocess.CompletedProcess:
        """`flask aup verify` on the served database, as an operator would run it."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "aup", "verify"],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip


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
    saved = gunicorn.count(
        sa.select(sa.func.count())
        .select_from(LessonProgress)
        .where(LessonProgress.current_step == steps[1])
    )
    assert saved == PUPILS, "every pupil's step was saved"


def test_twenty_people_signing_in_and_switching_language_at_once_get_no_server_error(gunicorn):
    """A class told "sign in, then press Cymraeg": every request at the same moment, twice."""
    url = gunicorn.url
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


def _agree_at_once(
    url: str, usernames: list[str], patience: float = 60
) -> tuple[dict[str, bool], Counter]:
    """Everyone signs in, then all press I agree in the same moment; who was told it recorded,
    and the status of every response.

    A request cut off (its worker killed) is tried again, as a pupil would press the button
    again, until the page says the agreement was recorded or a minute has passed.
    """
    together = threading.Barrier(len(usernames), timeout=120)

    statuses = Counter()

    def one(username: str) -> bool:
        person = Pupil(url, username)
        try:
            return press(person, username)
        finally:
            statuses.update(person.statuses)

    def press(person: Pupil, username: str) -> bool:
        deadline = time.monotonic() + patience
        signed_in = told = False
        waited = False
        while time.monotonic() < deadline and not told:
            try:
                if not signed_in:
                    page = person.get("/sign-in")
                    data = {"username": username, "password": factories.PASSWORD}
                    page = person.post("/sign-in", {"csrf_token": person.token(page), **data})
                    signed_in = TEXT_HASH.search(page) is not None
                    if not waited:  # the first time: everyone presses I agree together
                        waited = True
                        together.wait()
                        if signed_in:
                            choice = {
                                "csrf_token": person.token(page),
                                "text_hash": TEXT_HASH.search(page)[1],
                            }
                            told = RECORDED in person.post("/aup/accept", choice)
                    continue
                page = person.get("/aup")
                if not TEXT_HASH.search(page):
                    return False  # not asked again: recorded, though the page saying so was lost
                choice = {"csrf_token": person.token(page), "text_hash": TEXT_HASH.search(page)[1]}
                told = RECORDED in person.post("/aup/accept", choice)
            except (urllib.error.URLError, HTTPException, OSError, AssertionError, TypeError):
                time.sleep(0.2)  # the worker died under us: try again
        return told

    with ThreadPoolExecutor(len(usernames)) as pool:
        told = dict(zip(usernames, pool.map(one, usernames), strict=True))
    return told, statuses


def _recorded(served: Served, usernames: list[str]) -> dict[str, int]:
    """How many acceptances each of these people has in the database."""
    counts = {}
    for username in usernames:
        counts[username] = served.count(
            sa.select(sa.func.count())
            .select_from(Acceptance)
            .join(User, User.id == Acceptance.user_id)
            .where(User.username == username)
        )
    return counts


def test_a_class_agreeing_at_once_through_four_workers_keeps_one_unbroken_chain(gunicorn):
    usernames = [f"load{n}" for n in range(AGREEING)]
    told, statuses = _agree_at_once(gunicorn.url, usernames)
    errors = {code: n for code, n in statuses.items() if code >= 500}
    assert not errors, f"server errors: {errors} of {sum(statuses.values())} requests"
    assert all(told.values()), f"not told it was recorded: {[u for u, t in told.items() if not t]}"
    assert _recorded(gunicorn, usernames) == dict.fromkeys(usernames, 1)
    checked = gunicorn.verify()
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_workers_killed_mid_request_lose_no_acknowledged_agreement(gunicorn):
    """kill -9 a worker every second or two while classes agree: gunicorn starts another,
    pupils press again, and every agreement a page confirmed is in one valid chain.

    A class of 40 agrees in a couple of seconds on a quiet machine, so the class signs in and
    agrees again and again (pupils agree at each logon) until at least half the kills landed
    mid-agreement; each agreement a page confirmed must have its own record.
    """
    stop, killed = threading.Event(), []

    def killer() -> None:
        chooser = random.Random(18)
        while not stop.wait(1.5) and len(killed) < KILLS:
            workers = gunicorn.workers()
            if workers:
                victim = chooser.choice(workers)
                try:
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)
                except ProcessLookupError:
                    pass

    thread = threading.Thread(target=killer)
    thread.start()
    usernames = [f"load{n}" for n in range(AGREEING)]
    told, asked, statuses = Counter(), 0, Counter()
    try:
        for _wave in range(KILL_WAVES):
            said, answered = _agree_at_once(gunicorn.url, usernames, patience=180)
            told.update(name for name, yes in said.items() if yes)
            asked += len(said)
            statuses.update(answered)
            if len(killed) >= KILLS // 2:
                break
    finally:
        stop.set()
        thread.join()
    assert len(killed) >= KILLS // 2, "the test should have killed workers while pupils agreed"
    errors = {code: n for code, n in statuses.items() if code >= 500}
    assert not errors, f"server errors: {errors} of {sum(statuses.values())} requests"
    recorded = _recorded(gunicorn, usernames)
    lost = {u: (n, recorded[u]) for u, n in told.items() if recorded[u] < n}
    assert not lost, f"told it was recorded more often than it was (told, kept): {lost}"
    assert sum(told.values()) >= asked // 2, told  # most got through despite the kills
    checked = gunicorn.verify()
    assert checked.returncode == 0, checked.stdout + checked.stderr
