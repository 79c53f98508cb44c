"""Fixtures: an app on a fresh migrated database per test, clients, and signing in.

The database is a SQLite file, or with `--database postgresql` a database on a throwaway
PostgreSQL server (tests/databases.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule

from app import create_app
from app.demo import school as demo
from app.extensions import db
from app.models import School

pytest_plugins = ["tests.databases"]

FAST_HASH = "scrypt:1024:8:1"  # tests only: the real default is Werkzeug's slow scrypt
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def make_config(database: str | Path, **extra) -> dict:
    """Configuration for a test app using a database URL (or a SQLite file's path)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "LANTERN_CHAIN_KEY": "test-chain-key",
        "SQLALCHEMY_DATABASE_URI": database
        if isinstance(database, str)
        else f"sqlite:///{database}",
        "LANTERN_PASSWORD_METHOD": FAST_HASH,
        # staff sign in without an authenticator code, as in `make run`; tests of MFA turn it on
        "LANTERN_MFA_REQUIRED": False,
        **extra,
    }


class SharedTemplateCache(BytecodeCache):
    """Compiled templates kept in memory for every app in the test session, checked by source."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket with a template compiled earlier, if any (Jinja checks its source)."""
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a freshly compiled template for the next app."""
        self._compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedTemplateCache()


@pytest.fixture(scope="session", autouse=True)
def _url_builders_compiled_once():
    """Each app compiles a Python URL builder per route; apps built alike reuse one per rule."""
    # A builder takes its rule as first argument and reads nothing else of it, so the one compiled
    # for an equal rule (same path, parts, converters and defaults) is the same function.
    compile_builder = Rule._compile_builder
    compiled: dict[tuple, object] = {}

    def once(rule: Rule, append_unknown: bool = True):
        """Compile a builder for this shape of rule the first time only."""
        key = (rule.rule, repr(rule._trace), repr(sorted((rule.defaults or {}).items())))
        key += (tuple(type(c).__name__ for c in rule._converters.values()), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", once)
        yield


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production (fresh `g`, own DB session).

    The test's own session is committed around every request, so data a test set up is
    visible to the request and what the request wrote is visible to the test afterwards.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        return response


@pytest.fixture(scope="session")
def migrated_db(databases, tmp_path_factory) -> str:
    """The URL of one database migrated from empty by Alembic; each test gets a copy of it."""
    url = databases.new(tmp_path_factory.mktemp("template") / "template.db")
    app = create_app(make_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_db(databases, migrated_db, tmp_path_factory) -> str:
    """The migrated database with the demo school loaded once; tests using demo_school copy it."""
    url = databases.copy(migrated_db, tmp_path_factory.mktemp("demo") / "demo.db")
    app = create_app(make_config(url))
    with app.app_context():
        demo.load(activity=False)
        db.session.remove()
        db.engine.dispose()
    return url


@pytest.fixture
def fresh_database(databases, tmp_path):
    """fresh_database(template_url[, name]): a test's own copy of a database, dropped after."""
    made = []

    def _copy(template: str, name: str = "lantern.db") -> str:
        made.append(databases.copy(template, tmp_path / name))
        return made[-1]

    yield _copy
    for url in made:
        databases.drop(url)


@pytest.fixture
def app(request, migrated_db, fresh_database):
    """A Lantern app on its own copy of the migrated database, with the demo school if asked."""
    template = migrated_db
    if "demo_school" in request.fixturenames:
        template = request.getfixturevalue("demo_db")
    app = create_app(make_config(fresh_database(template)))
    app.test_client_class = FreshContextClient
    app.jinja_env.bytecode_cache = TEMPLATES
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def demo_school(app):
    """The demo school's people and classes, without its year of activity (counts start at 0)."""
    # the app fixture gave this test a copy of the database demo_db loaded the school into
    return db.session.scalar(sa.select(School).where(School.name == demo.SCHOOL_NAME))


@pytest.fixture
def full_demo(app):
    """The demo school as `flask demo` builds it: a year of activity, the trust, Hillside."""
    return demo.load()


@pytest.fixture
def client(app):
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The flask CLI runner."""
    return app.test_cli_runner()


def csrf_token(client, path: str = "/sign-in") -> str:
    """Read a CSRF token from a page, as a browser would have it."""
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def sign_in(client, username: str, password: str):
    """Post the sign-in form; returns the response."""
    token = csrf_token(client)
    return client.post(
        "/sign-in", data={"username": username, "password": password, "csrf_token": token}
    )


def agree(client):
    """Press I agree on the AUP page; returns the response."""
    token = csrf_token(client, "/aup")
    page = client.get("/aup").get_data(as_text=True)
    text_hash = re.search(r'name="text_hash" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    shown = dict(re.findall(r'name="(form|form_hash)" type="hidden" value="([a-z0-9]*)"', page))
    data = {"csrf_token": token, "text_hash": text_hash, **shown}  # the form shown: full or short
    return client.post("/aup/accept", data=data)


def post(client, path: str, data: dict | None = None, token_from: str = "/", **kwargs):
    """POST with a valid CSRF token taken from token_from."""
    token = csrf_token(client, token_from)
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


@pytest.fixture
def login_as(client):
    """Sign in as a user and agree to their AUP: login_as(username[, password])."""

    def _login(username: str, password: str = demo.DEMO_PASSWORD, accept: bool = True):
        response = sign_in(client, username, password)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        if accept:
            assert agree(client).status_code == 303
        return client

    return _login


@pytest.fixture
def schools(app):
    """Oak Primary (URN 123456) and Elm Academy (654321), empty: the roster fixtures' schools."""
    oak, elm = (
        School(name="Oak Primary School", urn="123456"),
        School(name="Elm Academy", urn="654321"),
    )
    db.session.add_all([oak, elm])
    db.session.commit()
    return oak, elm
