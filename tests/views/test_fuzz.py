"""Fuzzing every form and every query parameter: never a server error, and a refusal stores nothing.

The forms are not listed here: each demo role (and someone signed out, part way through picture
sign-in) opens every GET page it may reach (tests/pages.py), and every <form method="post"> those
pages carry is fuzzed with the fields the page gives it, so a new form is fuzzed as soon as a page
shows it. A test checks every POST route was found on some page. Query parameters are the ones
each page's own links and GET forms use, plus a few generic ones.

Values come from hypothesis: control characters, NUL, right-to-left marks, very long strings,
numbers beyond 64 bits, negative numbers, digits of other scripts, whitespace, several values
where one is expected, and fields left out. Forms carry a valid CSRF token, so the fuzz reaches
the view, but for a few sent with a missing or wrong one.

The app is module-scoped (fixture `target`): a fresh copy of the demo database, built once
for this file's three tests and reused across every hypothesis example, because building it,
signing every role in and reading every page takes several seconds, far too long to repeat per
example (and a function-scoped app would need the function_scoped_fixture health check
suppressed while sharing the same state anyway). Each request starts from the same state
instead: it is sent from the signed-in cookies saved at the start, rate limits are off, and the
database is put back from an in-memory snapshot whenever a request changed it.

Bounded for CI (about 70 seconds on two cores): 30 examples per test, each sending every form
once or opening one page of every GET endpoint; deadline=None (one example is a few dozen
requests); derandomize=True, so every run tries the same examples (no seed or .hypothesis
database: CI is deterministic); no shrinking (the failure names the one request that failed).
LANTERN_FUZZ_EXAMPLES=300 runs a deeper fuzz locally.
"""

from __future__ import annotations

import os
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app import create_app
from app.access import who_may_reach
from app.demo import school as demo
from app.extensions import db
from app.models import RosterUpload, School, SchoolClass, utcnow
from app.models.workshops import WorkshopSession
from tests import factories
from tests.conftest import TEMPLATES, FreshContextClient, csrf_token, make_config, post, sign_in
from tests.fuzzing import Form, Snapshot, db_state, endpoint_for, post_endpoints, read_page
from tests.pages import all_urls, candidates, client_for, demo_user

LESSONS = ("ks2-grooming-1", "ks2-privacy-passwords-1", "ks1-grooming-1", "ks3-grooming-1")
QUIZZED = "ks2-privacy-passwords-1"
ROLES = (
    "pupil.y4",
    "pupil.y8",
    "pupil.y12",
    "teacher",
    "coordinator",
    "parent",
    "admin",
    "visitor",
)
SIGNED_OUT, PICTURES = "(signed out)", "(picture sign-in)"
NOT_AGREED = "pupil.y10"  # signed in, AUP not yet agreed: the only page is the AUP
LINKED_PER_ENDPOINT = 3
GENERIC_PARAMS = ("school", "next", "sort", "order", "q", "class", "lesson", "preset", "by", "what")
BODY_LIMIT = 1024 * 1024

FUZZ = settings(
    max_examples=int(os.environ.get("LANTERN_FUZZ_EXAMPLES", "30")),
    deadline=None,
    derandomize=True,
    database=None,
    # no shrinking: a failure names the one request that failed, and shrinking one can take
    # minutes of CI time
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],  # many draws per example, by design
)

# -- values -----------------------------------------------------------------------------------

ODD = (
    "", " ", "\t", "\r\n", "\x00", "a\x00b", "\x1b[31m", "\x7f", "\u200f", "\u202e1", "\ufeff",
    "²", "٣", "१२", "1_000", "1e309", "NaN", "-0", "+1", "0x10", " 7 ", "1.5", "../..", "//evil",
    "0000-00-00", "2026-02-30", "9999-12-31", "0001-01-01", "31/12/2026", "%00", "<script>",
    "' OR 1=1 --", "true", "None", "[]", "{}",
)  # fmt: skip


class Repeated(str):
    """A long string of one character, shown short when hypothesis reports an example."""

    def __new__(cls, char: str, times: int) -> Repeated:
        made = super().__new__(cls, char * times)
        made.shown = f"{char!r} * {times}"
        return made

    def __repr__(self) -> str:
        return self.shown

    def _repr_pretty_(self, printer, _cycle) -> None:
        """How hypothesis prints it."""
        printer.text(self.shown)


SPICED = st.one_of(st.sampled_from("\x00\u202e\u200f²٣ \t\n<'%"), st.characters(codec="utf-8"))
"""Characters with the awkward ones often among them."""
LONG = (300, 5_000, 70_000)  # 70,000 two-byte characters: well over every field's limit
HUGE_NUMBERS = st.sampled_from([2**63, 2**63 - 1, 2**64, -(2**63) - 1, 10**30, -(10**30)])


def values(offered: tuple[str, ...]) -> st.SearchStrategy[str]:
    """One value for a field: one it offers, or an odd one."""
    odd = st.one_of(
        st.sampled_from(ODD),
        st.text(SPICED, max_size=12),
        st.integers(-(2**70), 2**70).map(str),
        HUGE_NUMBERS.map(str),
        st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=6),
        st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=8),
        st.text(max_size=40),
        st.builds(Repeated, st.sampled_from("aé٣\x00 \u202e"), st.sampled_from(LONG)),
    )
    if not offered:
        return odd
    return st.one_of(st.sampled_from(offered), odd)


def sensible(kind: str) -> tuple[str, ...]:
    """Values a person would type into a field of this kind that offers none itself."""
    return {
        "date": ("2026-09-15", "2027-01-04"),
        "number": ("1", "5", "15"),
        "password": (demo.DEMO_PASSWORD, "a much longer new password 1"),
    }.get(kind, ("A title", "2026.1", "hello"))


@st.composite
def filled(draw, form: Form, token: str) -> list[tuple[str, str]]:
    """The form's fields as a browser would send them, some fuzzed, doubled or left out."""
    sent: list[tuple[str, str]] = []
    for field in form.fields:
        if field.name == "csrf_token":
            continue
        offered = tuple(v for v in field.values if v) or sensible(field.kind)
        how = draw(st.sampled_from(("offered", "offered", "odd", "several", "missing")))
        if how == "offered":
            sent.append((field.name, draw(st.sampled_from(offered))))
        elif how == "odd":
            sent.append((field.name, draw(values(offered))))
        elif how == "several":
            several = draw(st.lists(values(offered), min_size=2, max_size=3))
            sent += [(field.name, value) for value in several]
    csrf = draw(st.sampled_from(("valid",) * 10 + ("missing", "wrong", "several")))
    if csrf == "valid":
        sent.append(("csrf_token", token))
    elif csrf == "wrong":
        sent.append(("csrf_token", token[:-4] + "AAAA"))
    elif csrf == "several":
        sent += [("csrf_token", "x"), ("csrf_token", token)]
    if draw(st.sampled_from((False,) * 29 + (True,))):
        sent.append(("padding", Repeated("a", BODY_LIMIT + 1)))  # past the body limit: 413
    return sent


# -- the app under fuzz -----------------------------------------------------------------------


class Target:
    """The demo app signed in as every role, with the forms and parameters its pages show."""

    def __init__(self, app, databases) -> None:
        self.app, self.databases = app, databases
        self.cookies: dict[str, str | None] = {}
        self.tokens: dict[str, str] = {}
        self.forms: list[tuple[str, Form]] = []
        self.pages: dict[str, list[tuple[str, str, set[str]]]] = {}  # endpoint: (role, url, names)
        self._opened: set[tuple[str, str]] = set()
        self._setup()
        self.snapshot = Snapshot(databases)
        self.baseline = db_state()

    def _setup(self) -> None:
        """Sign every role in, open picture sign-in and a workshop session, then read each page."""
        school = demo_user("teacher").school
        four_b = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
        module = factories.module(school, list(LESSONS[:2]), created_by_id=demo_user("teacher").id)
        factories.assignment(module, four_b)
        db.session.commit()
        # a staff concern about two pupils, opened as an incident, and a pupil's worry in the inbox
        pupils = [demo_user("pupil.y4"), demo_user("pupil.y8")]
        factories.incident(demo_user("teacher"), pupils, demo_user("coordinator"))
        factories.worry(demo_user("pupil.y8"))
        clients = {role: client_for(self.app, role) for role in ROLES}
        year_one = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.year == 1))
        staff = clients["coordinator"]  # the demo teacher does not teach Year 1
        page = f"/teacher/classes/{year_one.id}"
        assert post(staff, f"{page}/picture-sign-in", token_from=page).status_code in (302, 303)
        pack = "/workshops/" + candidates(LESSONS, QUIZZED)["pack_id"][0]
        assert post(staff, f"{pack}/sessions", {"held_on": "2026-09-15"}, token_from=pack)
        assert db.session.scalar(sa.select(WorkshopSession.code)), "no workshop session started"
        clients[SIGNED_OUT] = self.app.test_client()
        clients[PICTURES] = self._picture_sign_in_begun(year_one)
        clients[NOT_AGREED] = self.app.test_client()
        assert sign_in(clients[NOT_AGREED], NOT_AGREED, demo.DEMO_PASSWORD).status_code == 303
        values = candidates(LESSONS, QUIZZED)
        values["code"] = list(db.session.scalars(sa.select(WorkshopSession.code)))
        urls = all_urls(self.app, values)
        name = self.app.config["SESSION_COOKIE_NAME"]
        for role, client in clients.items():
            self.tokens[role] = csrf_token(client, "/sign-in")
            cookie = client.get_cookie(name)
            self.cookies[role] = cookie.value if cookie else None
        for role in clients:
            self._read_pages(role, urls)

    def _picture_sign_in_begun(self, year_one: SchoolClass):
        """Someone signed out who has typed the class code and chosen their name."""
        client = self.app.test_client()
        db.session.refresh(year_one)
        code = year_one.sign_in_code
        assert post(client, "/sign-in/pictures", {"code": code}, token_from="/sign-in/pictures")
        page = client.get("/sign-in/pictures/name").get_data(as_text=True)
        pupil = next(f for form in read_page("", page).forms for f in form.fields
                     if f.name == "pupil")  # fmt: skip
        assert post(client, "/sign-in/pictures/name", {"pupil": pupil.values[0]},
                    token_from="/sign-in/pictures/name")  # fmt: skip
        return client

    def _read_pages(self, role: str, urls: list[str]) -> None:
        """Open each page the role may reach, and the pages they link to; keep forms and params."""
        role_of = None if role in (SIGNED_OUT, PICTURES) else demo_user(role).role
        seen: set[tuple] = set()
        visited: dict[str, int] = {}  # how many linked pages of each endpoint were opened
        queue = [(url, True) for url in urls]
        while queue:
            url, follow = queue.pop(0)
            endpoint = endpoint_for(self.app, url, "GET")
            if endpoint is None or role_of not in who_may_reach(self.app, endpoint):
                continue
            if (role, url) in self._opened:
                continue
            self._opened.add((role, url))
            if not follow:  # a linked page: a few of each kind are enough
                if visited.get(endpoint, 0) >= LINKED_PER_ENDPOINT:
                    continue
                visited[endpoint] = visited.get(endpoint, 0) + 1
            response = self.client(role).get(url)
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            page = read_page(url, response.get_data(as_text=True))
            names = set(page.query_names)
            for form in page.forms:
                if form.method == "get":
                    names |= {f.name for f in form.fields}
                    continue
                form.endpoint = endpoint_for(self.app, form.action, "POST")
                if form.endpoint and form.key() not in seen:
                    seen.add(form.key())
                    self.forms.append((role, form))
            self.pages.setdefault(endpoint, []).append((role, url, names))
            if follow:  # one step along the page's own links (a deck's last slide, ?module=)
                queue += [(link, False) for link in page.links if link.startswith("/")]

    def client(self, role: str):
        """A client holding the role's saved sign-in, as it was at the start."""
        client = self.app.test_client()
        if self.cookies.get(role):
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[role])
        return client

    def send(self, role: str, method: str, url: str, data=None) -> int:
        """Send one request as the role; check it; put the database back if it changed."""
        response = self.client(role).open(url, method=method, data=MultiDict(data or []))
        code = response.status_code
        where = f"{role} {method} {url[:200]!r} {[(k, v[:80]) for k, v in data or []]!r}"
        if code >= 500:
            self.snapshot.restore()
        assert code < 500, f"{code} for {where}"
        now = db_state()
        if now != self.baseline:  # put back first: a failing example must replay the same way
            self.snapshot.restore()
        assert not now[2], f"a NUL character was stored (PostgreSQL refuses it) by {where}"
        if 400 <= code < 500:
            assert now[0] == self.baseline[0], f"rows added or removed by a refused {where}"
            assert now[1] == self.baseline[1], f"rows changed by a refused {where}"
        return code


@pytest.fixture(scope="module")
def target(databases, demo_db, tmp_path_factory) -> Target:
    """The demo app with every role signed in and every page read, shared by this file's tests.

    Module-scoped: signing nine people in and reading every page takes seconds, and each
    request starts from the same state anyway (Target.send).
    """
    path = databases.copy(demo_db, tmp_path_factory.mktemp("fuzz") / "lantern.db")
    # a server error is a 500 page, as in production; no rate limits, so every try reaches the
    # view (the limits have their own tests, and would answer most of a fuzz with 429)
    # Sessions never go idle here: every request starts from the sign-in as it was at the start
    # (the snapshot puts "last seen" back), so on a slow machine a run longer than the idle
    # timeout would sign people out mid-fuzz, a write that a refused request is not allowed.
    app = create_app(
        make_config(
            path, PROPAGATE_EXCEPTIONS=False, RATELIMIT_ENABLED=False,
            LANTERN_STAFF_IDLE_MINUTES=24 * 60, LANTERN_PUPIL_IDLE_MINUTES=24 * 60,
        )
    )  # fmt: skip
    app.test_client_class = FreshContextClient
    app.jinja_env.bytecode_cache = TEMPLATES
    with app.app_context():
        _roster_upload_waiting()
        yield Target(app, databases)
        db.session.remove()
        db.engine.dispose()
    databases.drop(path)


def _roster_upload_waiting() -> None:
    """The demo's own roster uploaded by its admin: the preview's Apply and Discard are fuzzed."""
    school = db.session.scalar(sa.select(School).where(School.name == demo.SCHOOL_NAME))
    db.session.add(
        RosterUpload(school_id=school.id, filename="lantern-roster.csv",
                     content=demo.ROSTER.read_bytes(), expires_at=utcnow() + timedelta(days=1))
    )  # fmt: skip
    db.session.commit()


MID_SIGN_IN = frozenset({"auth.mfa_code", "auth.mfa_kept"})
"""Forms shown only between a password and an authenticator code (MFA is off for the demo and
these tests): tests/views/test_mfa.py sends them wrong, reused, stale and raced codes."""


ONLY_FOR_LEAVERS = frozenset({"admin.erase_person"})
"""Forms shown only for someone who has left (the demo has nobody who has):
tests/views/test_erase_page.py sends them odd input the same way."""


def test_every_post_route_is_found_on_a_page(target):
    found = {form.endpoint for _role, form in target.forms}
    missing = post_endpoints(target.app) - found - MID_SIGN_IN - ONLY_FOR_LEAVERS
    assert not missing, f"fuzz these forms: show them on a demo page: {sorted(missing)}"


@FUZZ
@given(data=st.data())
def test_every_form_survives_odd_input(target, data):
    for role, form in target.forms:
        # now and then, the form is sent by someone else (another role, or signed out)
        sender = data.draw(st.sampled_from((role,) * 6 + (SIGNED_OUT, "pupil.y4", "parent")))
        sent = data.draw(filled(form, target.tokens[sender]), label=f"{sender} {form.action}")
        target.send(sender, "POST", form.action, sent)


@FUZZ
@given(data=st.data())
def test_every_query_parameter_survives_odd_input(target, data):
    for endpoint, pages in target.pages.items():
        role, url, names = data.draw(st.sampled_from(pages), label=endpoint)
        path, own = urlsplit(url).path, parse_qsl(urlsplit(url).query, keep_blank_values=True)
        params = sorted(names) + list(GENERIC_PARAMS)
        chosen = data.draw(st.lists(st.sampled_from(params), min_size=1, max_size=3, unique=True))
        query = [(name, value) for name, value in own if name not in chosen]  # the page's own
        query += [(name, v) for name in chosen
                  for v in data.draw(st.lists(values(()), min_size=1, max_size=2))]  # fmt: skip
        target.send(role, "GET", f"{path}?{urlencode(query)}")
