"""A request that waits too long for the database's lock is told to try again (503), not "error"."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import engine_options
from app.demo import school as demo
from app.extensions import db
from app.models import User
from tests.conftest import FreshContextClient, agree, csrf_token, make_config, sign_in

QUICK = {"LANTERN_DB_LOCK_TIMEOUT": "0.3"}


@pytest.fixture
def busy_app(demo_db, fresh_database):
    """The demo school on its own database, giving up on a held lock after 0.3 s."""
    url = fresh_database(demo_db)
    app = create_app(make_config(url, SQLALCHEMY_ENGINE_OPTIONS=engine_options(url, QUICK)))
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class HeldLock:
    """Another connection holding the lock a write needs (SQLite's, or the user's row)."""

    def __init__(self, url: str, user_id: int):
        self.url, self.user_id, self.hold, self.engine = (
            sa.engine.make_url(url),
            user_id,
            None,
            None,
        )

    def __enter__(self) -> HeldLock:
        if self.url.get_backend_name() == "sqlite":
            self.hold = sqlite3.connect(self.url.database, isolation_level=None)
            self.hold.execute("BEGIN IMMEDIATE")  # the database's one write lock
        else:
            self.engine = sa.create_engine(self.url)
            self.hold = self.engine.connect()
            self.hold.execute(  # the row the language switch writes
                sa.text('SELECT id FROM "user" WHERE id = :id FOR UPDATE'), {"id": self.user_id}
            )
        return self

    def __exit__(self, *_exc) -> None:
        if isinstance(self.hold, sqlite3.Connection):
            self.hold.execute("ROLLBACK")
            self.hold.close()
        else:
            self.hold.rollback()
            self.hold.close()
            self.engine.dispose()


def _switch_to_welsh(client):
    token = csrf_token(client)
    return client.post("/language", data={"csrf_token": token, "lang": "cy", "next": "/"})


def test_a_write_that_cannot_get_the_lock_says_try_again_and_keeps_nothing(busy_app):
    client = busy_app.test_client()
    assert sign_in(client, "teacher", demo.DEMO_PASSWORD).status_code == 303
    assert agree(client).status_code == 303
    teacher_id = db.session.scalar(sa.select(User.id).where(User.username == "teacher"))
    token = csrf_token(client)
    with HeldLock(busy_app.config["SQLALCHEMY_DATABASE_URI"], teacher_id):
        busy = client.post("/language", data={"csrf_token": token, "lang": "cy", "next": "/"})
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "5"
    page = busy.get_data(as_text=True)  # in Welsh where the switch got as far as the session
    said = ("very busy just now, so what you sent was not saved", "ni chadwyd yr hyn a")
    assert any(words in page for words in said), page[-800:]
    assert "Something went wrong" not in page and "Aeth rhywbeth o" not in page
    db.session.remove()
    assert db.session.get(User, teacher_id).locale != "cy"  # nothing kept
    again = _switch_to_welsh(client)  # the lock is free: the same request now works
    assert again.status_code == 303
    db.session.remove()
    assert db.session.get(User, teacher_id).locale == "cy"


def test_any_other_database_failure_is_still_an_error(busy_app, monkeypatch):
    from app.public import routes

    def broken():
        raise sa.exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(routes.db.session, "execute", lambda *_a, **_k: broken())
    busy_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = busy_app.test_client().get("/health")
    assert response.status_code == 500
