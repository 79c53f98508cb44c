"""The proof: insert-only acceptances in a per-school hash chain, and `flask aup verify`."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import Acceptance, Role, User
from app.services import acceptance, school_calendar
from tests import factories

CONTEXT = acceptance.Context(login_session_id=None, ip_address="10.0.0.7", user_agent="pytest")


def _accept(user: User, session_id: int) -> list[Acceptance]:
    context = acceptance.Context(session_id, CONTEXT.ip_address, CONTEXT.user_agent)
    return acceptance.accept(user, aups().get(user.audience), context, school_calendar.today())


def _pupils(n: int, school=None) -> list[User]:
    school = school or factories.school()
    people = [factories.user(school, Role.PUPIL, year=5, password=None) for _ in range(n)]
    db.session.commit()
    return people


def test_records_chain_one_to_the_next(app):
    pupils = _pupils(3)
    rows = [_accept(p, i)[0] for i, p in enumerate(pupils, start=1)]
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == acceptance.GENESIS
    assert rows[1].prev_hash == rows[0].record_hash
    report = acceptance.verify_chain(pupils[0].school_id)
    assert (report.count, report.broken_at, report.head) == (3, None, rows[2].record_hash)


def test_each_school_has_its_own_chain(app):
    first, second = _pupils(1), _pupils(1)
    a, b = _accept(first[0], 1)[0], _accept(second[0], 2)[0]
    assert a.seq == b.seq == 1
    assert a.prev_hash == b.prev_hash == acceptance.GENESIS


def test_records_cannot_be_updated_or_deleted_through_the_app(app):
    row = _accept(_pupils(1)[0], 1)[0]
    row.network = "1.2.3.0/24"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(Acceptance, row.id))
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("user_id", 999),
        ("on_behalf_of_id", 5),
        ("aup_version", "1999.1"),
        ("text_hash", "f" * 64),
        ("accepted_at", "2020-01-01 09:00:00.000000"),
        ("network", "192.0.2.0/24"),
        ("browser", "Firefox on Linux"),
        ("client_digest", "c" * 64),
        ("hash_rule", 1),
        ("hash_rule", 2),
        ("form", "short"),
        ("form_hash", "a" * 64),
        ("recorded_by_id", 12),
        ("method", "paper"),
        ("audience", "staff"),
        ("locale", "cy"),
        ("login_session_id", 77),
        ("prev_hash", "e" * 64),
        ("record_hash", "d" * 64),
    ],
)
def test_verify_names_the_first_altered_record(app, runner, column, value):
    pupils = _pupils(3)
    rows = [_accept(p, 1)[0] for p in pupils]
    ok = runner.invoke(args=["aup", "verify"])
    assert ok.exit_code == 0, ok.output
    assert rows[-1].record_hash in ok.output
    factories.drop_insert_only_triggers()  # an attacker with full access to the database
    db.session.execute(
        sa.text(f"UPDATE acceptance SET {column} = :value WHERE id = :id"),  # noqa: S608
        {"value": value, "id": rows[1].id},
    )
    db.session.commit()
    result = runner.invoke(args=["aup", "verify"])
    assert result.exit_code == 1
    assert f"(acceptance {rows[1].id}): does not match" in result.output


def test_verify_notices_a_deleted_record(app, runner):
    rows = [_accept(p, 1)[0] for p in _pupils(3)]
    factories.drop_insert_only_triggers()  # an attacker with full access to the database
    db.session.execute(sa.text("DELETE FROM acceptance WHERE id = :id"), {"id": rows[0].id})
    db.session.commit()
    result = runner.invoke(args=["aup", "verify"])
    assert result.exit_code == 1
    assert f"seq 2 (acceptance {rows[1].id}): does not match" in result.output
    assert "missing" in result.output


def test_concurrent_acceptances_keep_one_unbroken_chain(app):
    pupils = _pupils(12)
    ids = [p.id for p in pupils]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(ids))

    def worker(user_id: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                _accept(db.session.get(User, user_id), user_id)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    db.session.commit()  # end this test's own read snapshot to see the threads' writes
    report = acceptance.verify_chain(pupils[0].school_id)
    assert (report.count, report.broken_at) == (12, None)
    seqs = db.session.scalars(sa.select(Acceptance.seq).order_by(Acceptance.seq)).all()
    assert seqs == list(range(1, 13))
