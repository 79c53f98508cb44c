"""Evidence rows (AUP acceptances, photo-consent decisions) are insert-only in the database too."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import ConsentDecision, ConsentPart, PhotoConsent, Role
from app.services import acceptance, school_calendar
from tests import factories

CONTEXT = acceptance.Context(login_session_id=1, ip_address="10.0.0.7", user_agent="pytest")


def _rows() -> dict[str, int]:
    """One acceptance and one photo-consent decision, committed; their ids by table."""
    school = factories.school()
    pupil = factories.user(school, Role.PUPIL, year=5, password=None)
    db.session.add(
        PhotoConsent(
            school_id=school.id,
            pupil_id=pupil.id,
            part=ConsentPart.IN_SCHOOL,
            decision=ConsentDecision.GIVEN,
        )
    )
    db.session.commit()
    row = acceptance.accept(pupil, aups().get("ks2"), CONTEXT, school_calendar.today())[0]
    consent = db.session.scalar(sa.select(PhotoConsent.id))
    return {"acceptance": row.id, "photo_consent": consent}


def test_every_insert_only_trigger_exists_at_head(app):
    # a migration that rebuilds acceptance or photo_consent drops their triggers with the old
    # table (SQLite), and must create them again: this fails if it forgets
    assert factories.expected_insert_only_triggers() <= set(factories.triggers())


@pytest.mark.parametrize(
    ("table", "statement"),
    [
        ("acceptance", "UPDATE acceptance SET ip_address = '192.0.2.1' WHERE id = :id"),
        ("acceptance", "DELETE FROM acceptance WHERE id = :id"),
        ("photo_consent", "UPDATE photo_consent SET decision = 'refused' WHERE id = :id"),
        ("photo_consent", "DELETE FROM photo_consent WHERE id = :id"),
    ],
)
def test_sql_cannot_change_or_delete_evidence(app, table, statement):
    ids = _rows()
    before = db.session.execute(sa.text(f"SELECT * FROM {table}")).all()  # noqa: S608
    with pytest.raises(sa.exc.DatabaseError, match="insert-only"):
        db.session.execute(sa.text(statement), {"id": ids[table]})
    db.session.rollback()
    assert db.session.execute(sa.text(f"SELECT * FROM {table}")).all() == before  # noqa: S608


def test_deleting_everything_at_once_is_refused_too(app):
    _rows()
    for table in ("acceptance", "photo_consent"):
        with pytest.raises(sa.exc.DatabaseError, match="insert-only"):
            db.session.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608
        db.session.rollback()
        assert db.session.scalar(sa.text(f"SELECT COUNT(*) FROM {table}")) == 1  # noqa: S608


def test_consent_decisions_cannot_be_deleted_through_the_app(app):
    _rows()
    db.session.delete(db.session.scalar(sa.select(PhotoConsent)))
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
