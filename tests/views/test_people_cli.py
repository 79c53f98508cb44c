"""The command line for a school moving in: school create and list, first admin, passwords."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, LoginSession, Role, School, Trust, User
from app.services import passwords
from tests import factories
from tests.conftest import sign_in


def _school(urn: str) -> School | None:
    """The school with a URN, read afresh."""
    db.session.expire_all()
    return db.session.scalar(sa.select(School).where(School.urn == urn))


def test_school_create_makes_the_school_and_finds_or_makes_its_trust(runner):
    result = runner.invoke(
        args=["school", "create", "St Anne's Primary", "--urn", "123456", "--trust", "Oak Trust"]
    )
    assert result.exit_code == 0, result.output
    assert "Trust 'Oak Trust' created." in result.output
    again = runner.invoke(
        args=["school", "create", "Oak Secondary", "--urn", "123457", "--trust", "Oak Trust"]
    )
    assert again.exit_code == 0, again.output
    assert "created." not in again.output.splitlines()[0]  # the trust was found, not made twice
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Trust)) == 1
    first, second = _school("123456"), _school("123457")
    assert first.name == "St Anne's Primary" and first.trust_id == second.trust_id is not None
    assert first.rolled_over_on is not None  # its first rollover is next school year's


def test_school_create_refuses_a_bad_or_taken_urn(runner):
    for bad in ("12345", "1234567", "ABCDEF", "12 345"):
        result = runner.invoke(args=["school", "create", "A School", "--urn", bad])
        assert result.exit_code != 0
        assert "six digits" in result.output
    assert runner.invoke(args=["school", "create", "A", "--urn", "100001"]).exit_code == 0
    taken = runner.invoke(args=["school", "create", "B", "--urn", "100001"])
    assert taken.exit_code != 0 and "already exists" in taken.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(School)) == 1


def test_school_list_shows_urn_name_trust_and_counts(runner):
    runner.invoke(args=["school", "create", "Hill School", "--urn", "200002", "--trust", "T1"])
    school = _school("200002")
    year4 = factories.school_class(school, "4A", 4)
    factories.user(school, Role.PUPIL, classes=[year4])
    factories.user(school, Role.PUPIL)
    factories.user(school, Role.PUPIL, active=False)  # a leaver is not counted
    factories.user(school, Role.TEACHER)
    factories.user(school, Role.PARENT)
    db.session.commit()
    result = runner.invoke(args=["school", "list"])
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith("200002"))
    assert "Hill School" in line and "trust: T1" in line
    assert "2 pupils, 1 staff, 1 parents, 1 classes" in line


def test_user_create_makes_the_first_admin_who_must_choose_a_password(runner, client):
    runner.invoke(args=["school", "create", "Hill School", "--urn", "200002"])
    result = runner.invoke(args=["user", "create", "--school", "200002", "--role", "admin", "jo"])
    assert result.exit_code == 0, result.output
    temporary = result.output.split()[-1]
    admin = db.session.scalar(sa.select(User).where(User.username == "jo"))
    assert admin.role is Role.ADMIN and admin.must_change_password
    assert admin.school.urn == "200002"
    response = sign_in(client, "jo", temporary)
    assert response.status_code == 303
    assert client.get("/admin/").headers["Location"].endswith("/account/password")


def test_user_create_refuses_an_unknown_school_or_a_taken_username(runner):
    unknown = runner.invoke(args=["user", "create", "--school", "999999", "jo"])
    assert unknown.exit_code != 0 and "No school has URN 999999" in unknown.output
    runner.invoke(args=["school", "create", "Hill School", "--urn", "200002"])
    assert runner.invoke(args=["user", "create", "--school", "200002", "jo"]).exit_code == 0
    taken = runner.invoke(args=["user", "create", "--school", "200002", "jo"])
    assert taken.exit_code != 0 and "taken" in taken.output


def test_user_password_prints_a_new_temporary_password_last_and_ends_sessions(runner, client):
    school = factories.school(urn="300003")
    person = factories.user(school, Role.TEACHER, username="mrsday")
    db.session.commit()
    assert sign_in(client, "mrsday", factories.PASSWORD).status_code == 303
    result = runner.invoke(args=["user", "password", "MrsDay"])
    assert result.exit_code == 0, result.output
    temporary = result.output.strip().splitlines()[-1].split()[-1]
    assert len(temporary.split("-")) == 4
    db.session.expire_all()
    assert person.must_change_password
    open_sessions = sa.select(sa.func.count()).where(
        LoginSession.user_id == person.id, LoginSession.ended_at.is_(None)
    )
    assert db.session.scalar(open_sessions) == 0
    assert client.get("/teacher/").status_code == 302  # this browser was signed out
    reset = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event == "password_reset"))
    assert reset.subject_id == person.id
    fresh = factories.PASSWORD
    assert sign_in(client, "mrsday", fresh).status_code == 401  # the old one no longer works
    assert sign_in(client, "mrsday", temporary).status_code == 303


def test_user_password_names_an_unknown_username(runner):
    result = runner.invoke(args=["user", "password", "nobody"])
    assert result.exit_code != 0 and "No user is called 'nobody'" in result.output


def test_temporary_passwords_are_three_listed_words_and_a_number():
    seen = set()
    for _ in range(50):
        *chosen, number = passwords.temporary_password().split("-")
        assert len(chosen) == 3 and all(word in passwords.words() for word in chosen)
        assert 10 <= int(number) <= 99
        seen.add(tuple(chosen))
    assert len(seen) > 45  # random, not one password over and over
