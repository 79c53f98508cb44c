"""The year rollover against a hand-worked primary school: years move, leavers leave, classes end,
and last year's coverage is what it was."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import AuditEvent, LoginSession, PupilYear, Role, TaughtLesson
from app.reporting import coverage
from app.services import rollover
from tests import factories
from tests.trust_data import _done, at

LAST_YEAR_DAY = date(2026, 3, 10)  # in the school year 1 Sept 2025 to 31 Aug 2026
ROLLOVER_DAY = date(2026, 9, 7)  # the first week of the next one


@pytest.fixture
def primary(app):
    """Oak Primary (last year: Year 6): 4A (ann, ben), 6A (cat), a Year 5 pupil in no class.

    Last school year ann finished the KS2 privacy lesson (strands PS, OREP, OREL), cat finished
    it too, and 4A was taught the KS2 bullying lesson (OBUL, OREL).
    """
    school = factories.school("Oak Primary", urn="400004", last_year=6)
    four_a = factories.school_class(school, "4A", 4)
    six_a = factories.school_class(school, "6A", 6)
    people = {
        "ann": factories.user(school, username="ann", year=4, classes=[four_a]),
        "ben": factories.user(school, username="ben", year=4, classes=[four_a]),
        "cat": factories.user(school, username="cat", year=6, classes=[six_a]),
        "dan": factories.user(school, username="dan", year=5),
        "old": factories.user(school, username="old", year=3, active=False),  # left before
        "tess": factories.user(school, Role.TEACHER, username="tess"),
    }
    other = factories.school("Elm Primary", urn="400005")
    people["eve"] = factories.user(other, username="eve", year=6)
    _done(people["ann"], "ks2-privacy-passwords-1", at(date(2026, 2, 1)))
    _done(people["cat"], "ks2-privacy-passwords-1", at(date(2026, 2, 2)))
    db.session.add(
        TaughtLesson(
            school_id=school.id,
            class_id=four_a.id,
            lesson_id="ks2-bullying-1",
            lesson_version=1,
            taught_on=date(2026, 1, 15),
        )
    )
    db.session.add(LoginSession(user_id=people["cat"].id, token_hash="c" * 64))
    db.session.commit()
    return school, people


def _cells(school, day: date) -> dict:
    """Every non-empty coverage cell of a school on a day, as plain numbers."""
    found = coverage.matrix([school], "strand", day)
    return {
        key: (c.assigned, c.taught, c.completers, c.pupils, c.classes)
        for key, c in found.cells.items()
        if (c.assigned, c.taught, c.completers, c.pupils, c.classes) != (0, 0, 0, 0, 0)
    }


def test_the_plan_counts_who_moves_who_leaves_and_which_classes_end(primary):
    school, _ = primary
    plan = rollover.plan(school, ROLLOVER_DAY)
    assert plan.year_start == date(2026, 9, 1) and plan.last_year == 6
    assert dict(plan.moving) == {4: 2, 5: 1}  # the pupil who left before does not move
    assert plan.leaving == 1
    assert [c.name for c in plan.classes] == ["4A", "6A"]
    assert not plan.already_done


def test_rollover_moves_years_ends_classes_and_keeps_last_years_coverage(primary):
    school, people = primary
    before = _cells(school, LAST_YEAR_DAY)
    # hand-worked: Year 4 has 2 pupils in 1 class; ann finished PS/OREP/OREL, OBUL/OREL taught
    assert before[("PS", 4)] == (0, 0, 1, 2, 1)
    assert before[("OREL", 4)] == (0, 1, 1, 2, 1)
    assert before[("OBUL", 4)] == (0, 1, 0, 2, 1)
    assert before[("PS", 6)] == (0, 0, 1, 1, 1)
    assert before[("PS", 5)] == (0, 0, 0, 1, 0)

    rollover.roll_over(school, ROLLOVER_DAY)
    db.session.expire_all()

    years = {name: person.year for name, person in people.items()}
    assert years == {"ann": 5, "ben": 5, "cat": 6, "dan": 6, "old": 3, "tess": None, "eve": 6}
    cat = people["cat"]
    assert not cat.active and cat.left_at is not None  # Year 6 left, records kept
    assert db.session.scalar(
        sa.select(LoginSession.end_reason).where(LoginSession.user_id == cat.id)
    ) == ("left_school")
    assert people["eve"].active  # another school's pupils are untouched
    assert all(c.ended_at is not None for c in school.classes)
    assert people["ann"].classes[0].name == "4A"  # the ended class keeps its pupils (history)
    assert school.rolled_over_on == date(2026, 9, 1)
    kept = dict(db.session.execute(sa.select(PupilYear.pupil_id, PupilYear.year)).all())
    assert kept == {people[n].id: y for n, y in (("ann", 4), ("ben", 4), ("cat", 6), ("dan", 5))}

    assert _cells(school, LAST_YEAR_DAY) == before  # last year's coverage is unchanged
    now = _cells(school, ROLLOVER_DAY)
    assert {key: cell[3] for key, cell in now.items() if key[0] == "PS"} == {
        ("PS", 5): 2,
        ("PS", 6): 1,
    }  # this year: the cohort in its new year group, no classes yet, nothing done
    assert all(cell[:3] == (0, 0, 0) and cell[4] == 0 for cell in now.values())


def test_a_second_rollover_in_the_same_school_year_moves_nobody(primary):
    school, people = primary
    rollover.roll_over(school, ROLLOVER_DAY)
    with pytest.raises(rollover.AlreadyRolledOver):
        rollover.roll_over(school, date(2026, 10, 1))
    db.session.expire_all()
    assert people["ann"].year == 5 and people["dan"].year == 6 and people["dan"].active
    assert rollover.plan(school, date(2026, 10, 1)).already_done
    assert not rollover.plan(school, date(2027, 9, 6)).already_done  # next year it may


def test_a_school_without_a_last_year_keeps_year_13_as_its_last(app):
    school = factories.school("Growing Academy", urn="400006")
    seven = factories.user(school, year=7)
    db.session.commit()
    plan = rollover.plan(school, ROLLOVER_DAY)
    assert plan.last_year == 13 and plan.leaving == 0  # its only Year 7 do not all leave
    rollover.roll_over(school, ROLLOVER_DAY)
    db.session.expire_all()
    assert seven.year == 8 and seven.active


def test_the_command_previews_then_rolls_over_once(runner, primary):
    school, people = primary
    dry = runner.invoke(args=["school", "rollover", "--school", "400004", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Year 4 -> Year 5: 2 pupils move up" in dry.output
    assert "Year 6 (the school's last year): 1 pupils leave" in dry.output
    assert "2 classes end" in dry.output and "nothing changed" in dry.output
    db.session.expire_all()
    assert people["ann"].year == 4
    done = runner.invoke(args=["school", "rollover", "--school", "400004"])
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert people["ann"].year == 5 and not people["cat"].active
    again = runner.invoke(args=["school", "rollover", "--school", "400004"])
    assert again.exit_code != 0 and "nobody moves up twice" in again.output
    db.session.expire_all()
    assert people["ann"].year == 5


def test_the_command_names_a_missing_school(runner, app):
    result = runner.invoke(args=["school", "rollover", "--school", "999998"])
    assert result.exit_code != 0 and "No school has URN 999998" in result.output


def _admin_of(school):
    """A signed-in admin of the school (who has agreed to the staff AUP)."""
    from tests.conftest import agree, sign_in

    factories.user(school, Role.ADMIN, username="oakadmin")
    db.session.commit()
    client = current_app.test_client()
    assert sign_in(client, "oakadmin", factories.PASSWORD).status_code == 303
    agree(client)
    return client


def test_the_admin_previews_then_moves_everyone_up_once(primary):
    from tests.conftest import csrf_token

    school, people = primary
    client = _admin_of(school)
    page = client.get("/admin/rollover?last_year=5").get_data(as_text=True)
    assert 'data-testid="leaving">2<' in page  # previewing Year 5 as the last: dan and cat
    db.session.expire_all()
    assert school.last_year == 6 and people["dan"].year == 5  # a preview changes nothing
    page = client.get("/admin/rollover").get_data(as_text=True)
    assert 'data-testid="leaving">1<' in page and "2 classes end" in page
    token = csrf_token(client, "/admin/rollover")
    response = client.post("/admin/rollover", data={"csrf_token": token, "last_year": "6"})
    assert response.status_code == 303
    db.session.expire_all()
    assert people["ann"].year == 5 and not people["cat"].active
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event == "year_rolled_over"))
    assert event.detail == '{"ended":2,"left":1,"moved":3}'
    again = client.post("/admin/rollover", data={"csrf_token": token, "last_year": "6"})
    assert again.status_code == 303
    db.session.expire_all()
    assert people["ann"].year == 5  # nobody moved twice
    assert "already moved up" in client.get("/admin/rollover").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.COORDINATOR, Role.PUPIL, Role.PARENT])
def test_only_the_admin_reaches_the_rollover(primary, role):
    from tests.conftest import sign_in

    school, people = primary
    factories.user(school, role, username="someone", year=4 if role is Role.PUPIL else None)
    db.session.commit()
    client = current_app.test_client()
    assert sign_in(client, "someone", factories.PASSWORD).status_code == 303
    assert client.get("/admin/rollover").status_code in (302, 303, 403)  # the AUP, or refused
    from tests.conftest import agree

    agree(client)
    assert client.get("/admin/rollover").status_code == 403
    db.session.expire_all()
    assert people["ann"].year == 4
