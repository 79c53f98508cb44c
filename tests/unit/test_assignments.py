"""Assignment rules: targets a teacher may use, due dates, messages, duplicates, pupils' plans."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.content import lessons
from app.models import Role
from app.services import assignments
from app.services.assignments import AssignmentError
from tests import factories

TODAY = date(2025, 3, 3)


@pytest.fixture
def setup(app):
    with app.test_request_context():  # refusals carry translated messages
        yield _world()


def _world() -> dict:
    school = factories.school()
    mine = factories.school_class(school, "4A", 4)
    other = factories.school_class(school, "5A", 5)
    teacher = factories.user(school, Role.TEACHER)
    mine.teachers.append(teacher)
    pupil = factories.user(school, Role.PUPIL, year=4)
    mine.pupils.append(pupil)
    module = factories.module(school, ["ks2-bullying-1", "ks3-bullying-1"])
    return {"school": school, "mine": mine, "other": other, "teacher": teacher,
            "pupil": pupil, "module": module}  # fmt: skip


def test_teachers_assign_only_to_their_classes_and_year_groups(setup):
    t, m = setup["teacher"], setup["module"]
    with pytest.raises(AssignmentError):
        assignments.assign(t, m, school_class=setup["other"], today=TODAY, library=lessons())
    with pytest.raises(AssignmentError):
        assignments.assign(t, m, year=5, today=TODAY, library=lessons())
    assert assignments.assign(t, m, year=4, today=TODAY, library=lessons()).year == 4
    coordinator = factories.user(setup["school"], Role.COORDINATOR)
    assert assignments.assign(
        coordinator, m, school_class=setup["other"], today=TODAY, library=lessons()
    )


def test_due_dates_messages_and_duplicates(setup):
    t, m, c = setup["teacher"], setup["module"], setup["mine"]
    with pytest.raises(AssignmentError, match="past"):
        assignments.assign(
            t, m, school_class=c, due_on=TODAY - timedelta(days=1), today=TODAY, library=lessons()
        )
    with pytest.raises(AssignmentError, match="500"):
        assignments.assign(t, m, school_class=c, message="x" * 501, today=TODAY, library=lessons())
    row = assignments.assign(
        t, m, school_class=c, due_on=TODAY, message="  Hi  ", today=TODAY, library=lessons()
    )
    assert row.message == "Hi"
    with pytest.raises(AssignmentError, match="already set"):
        assignments.assign(t, m, school_class=c, today=TODAY, library=lessons())
    assignments.withdraw(row)
    assert assignments.assign(t, m, school_class=c, today=TODAY, library=lessons()).id != row.id


def test_a_past_due_date_already_set_may_stay_when_changing_the_message(setup):
    t, m, c = setup["teacher"], setup["module"], setup["mine"]
    row = assignments.assign(t, m, school_class=c, due_on=TODAY, today=TODAY, library=lessons())
    assignments.change(row, TODAY, "Later", TODAY + timedelta(days=5))
    assert row.message == "Later"


def test_the_pupil_plan_lists_modules_in_order_and_lessons_taught(setup):
    t, m, c, pupil = setup["teacher"], setup["module"], setup["mine"], setup["pupil"]
    assignments.assign(
        t, m, school_class=c, due_on=TODAY, message="Go", today=TODAY, library=lessons()
    )
    plan, taught = assignments.pupil_plan(pupil)
    assert [(p.title, p.lesson_ids, p.message) for p in plan] == [
        ("A module", ("ks2-bullying-1", "ks3-bullying-1"), "Go")
    ]
    assert taught == {}
    assert assignments.is_set_for(pupil, "ks3-bullying-1")
    assert not assignments.is_set_for(pupil, "ks3-copyright-1")


def test_may_change_follows_who_may_assign(setup):
    t, m = setup["teacher"], setup["module"]
    coordinator = factories.user(setup["school"], Role.COORDINATOR)
    theirs = assignments.assign(
        coordinator, m, school_class=setup["other"], today=TODAY, library=lessons()
    )
    assert not assignments.may_change(t, theirs)
    assert assignments.may_change(coordinator, theirs)
    elsewhere = factories.other_school()
    assert not assignments.may_change(coordinator, elsewhere["assignment"])


def _taught(school_class, lesson_id: str) -> None:
    """Record lesson_id as taught to the class from the board."""
    factories.taught(school_class, lesson_id, TODAY)


def test_a_teacher_led_lesson_is_set_only_once_taught_to_the_class(setup):
    t, c, pupil = setup["teacher"], setup["mine"], setup["pupil"]
    led = factories.module(setup["school"], ["ks2-bullying-1", "ks2-grooming-1"], title="Mixed")
    assert lessons().find("ks2-grooming-1").teacher_led
    with pytest.raises(AssignmentError, match="Liking someone is not the same as trusting them"):
        assignments.assign(t, led, school_class=c, today=TODAY, library=lessons())
    assert not assignments.taught_to(pupil, "ks2-grooming-1")
    _taught(c, "ks2-grooming-1")
    assert assignments.taught_to(pupil, "ks2-grooming-1")
    assert assignments.assign(t, led, school_class=c, today=TODAY, library=lessons())


def test_a_year_group_needs_the_lesson_taught_to_every_class_in_it(setup):
    t, c = setup["teacher"], setup["mine"]
    second = factories.school_class(setup["school"], "4Z", 4)
    led = factories.module(setup["school"], ["ks2-grooming-1"], title="Grooming")
    _taught(c, "ks2-grooming-1")
    with pytest.raises(AssignmentError, match="teacher-led"):
        assignments.assign(t, led, year=4, today=TODAY, library=lessons())
    _taught(second, "ks2-grooming-1")
    assert assignments.assign(t, led, year=4, today=TODAY, library=lessons()).year == 4
