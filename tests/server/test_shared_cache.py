"""A newly published AUP reaches every worker at once when they share Redis.

Two app instances on one database stand for two gunicorn workers: each keeps its own cache of
the school's published AUPs, and only the Redis generation number tells the other one.
"""

from __future__ import annotations

import pytest

from app import create_app
from app.content import aups
from app.extensions import db
from app.models import Role, School, User
from app.services import school_calendar, school_settings
from tests import factories
from tests.conftest import make_config


def _workers(database: str, redis_url: str | None):
    """Two apps (workers) on one database (a URL), sharing Redis when a URL is given."""
    path = database
    extra = {"LANTERN_REDIS_URL": redis_url} if redis_url else {}
    return create_app(make_config(path, **extra)), create_app(make_config(path, **extra))


def _publish_in(worker, school_id: int, by_id: int, version: str) -> None:
    """The coordinator publishes the school's own ks2 AUP, through this worker."""
    with worker.app_context():
        school, by = db.session.get(School, school_id), db.session.get(User, by_id)
        today = school_calendar.today()
        draft = school_settings.draft_from(aups().get("ks2"), today)
        draft = school_settings.Draft(**{**draft.__dict__, "version": version, "closing": "Ours."})
        assert not school_settings.publish(school, draft, by, today)[1]
        db.session.remove()


def _shown_by(worker, school_id: int) -> str:
    """The version of the ks2 AUP this worker shows the school's pupils today."""
    with worker.app_context():
        shown = school_settings.current_aup(school_id, "ks2", "en", school_calendar.today())
        db.session.remove()
        return shown.version


def _school(worker) -> tuple[int, int]:
    """A school and its coordinator, made through the first worker."""
    with worker.app_context():
        school = factories.school()
        coordinator = factories.user(school, Role.COORDINATOR)
        db.session.commit()
        ids = school.id, coordinator.id
        db.session.remove()
        return ids


@pytest.mark.parametrize("shared", [True, False])
def test_a_published_aup_is_served_by_the_other_worker_at_once_with_redis(
    migrated_db, fresh_database, redis_db, shared
):
    first, second = _workers(fresh_database(migrated_db), redis_db if shared else None)
    school_id, coordinator_id = _school(first)
    before = _shown_by(first, school_id)  # the first worker now holds the file's version
    _publish_in(second, school_id, coordinator_id, "own.1")
    assert _shown_by(second, school_id) == "own.1"
    if shared:
        assert _shown_by(first, school_id) == "own.1"
        _publish_in(first, school_id, coordinator_id, "own.2")
        assert _shown_by(second, school_id) == "own.2"
    else:  # without Redis the other worker's copy stays up to CACHE_SECONDS old (documented)
        assert _shown_by(first, school_id) == before != "own.1"
