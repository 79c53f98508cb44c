"""`flask demo trust`: a generated trust is consistent, repeatable, never mixed with real data."""

from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa

from app import create_app
from app.demo import trust
from app.extensions import db
from app.models import (
    Acceptance,
    AupLatest,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    Role,
    School,
    User,
    class_pupil,
    parent_child,
)
from app.services import acceptance, compliance, school_calendar
from tests import factories
from tests.conftest import make_config, sign_in

PASSWORD = "generated-trust-password"  # noqa: S105 - test data only


def _generate(runner, *extra: str):
    """Run `flask demo trust` for 2 schools and 60 pupils."""
    args = ["demo", "trust", "--schools", "2", "--pupils", "60", "--password", PASSWORD]
    return runner.invoke(args=[*args, *extra])


def test_a_small_trust_is_consistent_and_its_pages_load(app, demo_school, runner, login_as):
    result = _generate(runner)
    assert result.exit_code == 0, result.output
    schools = db.session.scalars(sa.select(School).where(School.urn.like("998%"))).all()
    assert [s.urn for s in schools] == ["998001", "998002"]
    assert schools[0].trust_id == schools[1].trust_id is not None
    pupils = db.session.scalars(sa.select(User).where(
        User.role == Role.PUPIL, User.school_id.in_([s.id for s in schools]))).all()  # fmt: skip
    by_school = Counter(p.school_id for p in pupils)
    assert [by_school[s.id] for s in schools] == [15, 45]  # a secondary weighs three primaries
    assert {p.year for p in pupils if p.school_id == schools[0].id} <= set(range(7))
    assert {p.year for p in pupils if p.school_id == schools[1].id} <= set(range(7, 14))
    # every pupil in exactly one class of its own school, with one or two parents of that school
    classes = Counter(db.session.scalars(sa.select(class_pupil.c.pupil_id)))
    assert all(classes[p.id] == 1 for p in pupils)
    parents = db.session.execute(sa.select(parent_child.c.child_id, User.school_id).join(
        User, User.id == parent_child.c.parent_id)).all()  # fmt: skip
    school_of = {p.id: p.school_id for p in pupils}
    assert Counter(c for c, _s in parents if c in school_of).keys() == school_of.keys()
    assert all(school_of[c] == s for c, s in parents if c in school_of)
    # quizzes: every attempt's score is its answers' right ones
    right_ones = sa.func.sum(sa.cast(QuizAnswer.correct, sa.Integer))
    right = dict(db.session.execute(sa.select(QuizAnswer.attempt_id, right_ones)
                                    .group_by(QuizAnswer.attempt_id)).all())  # fmt: skip
    attempts = db.session.scalars(sa.select(QuizAttempt)).all()
    assert attempts and all(right[a.id] == a.score for a in attempts)
    assert db.session.scalar(sa.select(sa.func.count(LessonProgress.id))) > 0
    # the chains verify, with the output counting every acceptance, as `aup verify` checks them
    verified = runner.invoke(args=["aup", "verify"])
    assert verified.exit_code == 0, verified.output
    for school in schools:
        count = db.session.scalar(sa.select(sa.func.count(Acceptance.id)).where(
            Acceptance.school_id == school.id))  # fmt: skip
        assert count > 60 and f"school {school.id} ({school.name}): {count} acceptances" in (
            verified.output
        )
        assert acceptance.verify_chain(school.id).broken_at is None
        latest = db.session.scalar(sa.select(sa.func.count(AupLatest.id)).where(
            AupLatest.school_id == school.id))  # fmt: skip
        assert latest > 0
        # every pupil signed in this year, so each has accepted their AUP
        found = compliance.report(school, school_calendar.today())
        standings = [s for a in compliance.PUPIL_AUDIENCES for s in found.audiences[a].standings]
        assert len(standings) == by_school[school.id] and all(s.accepted for s in standings)
    # the coordinator of the secondary, and the trust's lead, see their pages (no AUP is due:
    # staff accepted theirs at the start of this school year)
    client = login_as("t998002.coordinator1", PASSWORD, accept=False)
    for path in ("/coordinator/", "/coordinator/coverage", "/coordinator/compliance",
                 "/coordinator/progression"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Brookfield Academy 1" in response.get_data(as_text=True)
    client = app.test_client()
    assert sign_in(client, "t998001.trustlead1", PASSWORD).status_code == 303
    page = client.get("/coordinator/trust/coverage")
    assert page.status_code == 200
    assert "Ashdown Primary School 1" in page.get_data(as_text=True)
    assert "Brookfield Academy 1" in page.get_data(as_text=True)


def test_a_real_school_in_the_database_refuses_the_generator(app, runner):
    factories.school("St Mary's Primary", urn="123456")
    db.session.commit()
    result = _generate(runner)
    assert result.exit_code != 0
    assert "not demo data" in result.output and "St Mary's Primary" in result.output
    assert db.session.scalar(sa.select(sa.func.count(School.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_second_generation_is_refused(app, runner):
    assert _generate(runner).exit_code == 0
    users = db.session.scalar(sa.select(sa.func.count(User.id)))
    again = _generate(runner)
    assert again.exit_code != 0 and "already holds a generated trust" in again.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == users


def _fingerprint(seed: int) -> tuple:
    """What a generation with this seed made: names, and each school's chain head."""
    summary = trust.generate(2, 40, years=2, seed=seed, today=date(2026, 11, 20))
    names = db.session.execute(sa.select(User.username, User.display_name, User.year)
                               .order_by(User.id)).all()  # fmt: skip
    heads = [acceptance.verify_chain(school_id).head for school_id in summary.school_ids]
    return summary.rows, names, heads


def test_the_same_seed_makes_the_same_trust(app, migrated_db, fresh_database):
    first = _fingerprint(seed=3)
    with create_app(make_config(fresh_database(migrated_db, "other.db"))).app_context():
        again, different = _fingerprint(seed=3), None
        db.session.remove()
        db.engine.dispose()
    with create_app(make_config(fresh_database(migrated_db, "third.db"))).app_context():
        different = _fingerprint(seed=4)
        db.session.remove()
        db.engine.dispose()
    assert first == again
    assert first[1] != different[1] and first[2] != different[2]
