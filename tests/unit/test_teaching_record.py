"""Recording lessons taught from the board and year-start AUP introductions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.content import aups, lessons
from app.errors import Forbidden
from app.models import Role
from app.services import assignments, teaching_record
from tests import factories

TODAY = date(2026, 3, 10)  # the school year began on 1 September 2025


@pytest.fixture
def school(app):
    """A school with a Year 4 class taught by one teacher, and a colleague's Year 6 class."""
    row = factories.school()
    teacher = factories.user(row, Role.TEACHER, username="t.one")
    mine = factories.school_class(row, "4B", 4)
    mine.teachers.append(teacher)
    theirs = factories.school_class(row, "6B", 6)
    with app.test_request_context():  # messages are translated for the person asking
        yield row, teacher, mine, theirs


def _lesson():
    return lessons().find("ks2-bullying-1")


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (TODAY, None),
        (date(2025, 9, 1), None),
        (TODAY + timedelta(days=1), "future"),
        (date(2025, 8, 31), "before this school year began on 1 September 2025"),
    ],
)
def test_a_teaching_date_is_this_school_year_and_not_in_the_future(school, day, problem):
    found = teaching_record.date_problem(school[0], day, TODAY)
    assert (found is None) if problem is None else problem in str(found)


def test_mark_taught_records_once_per_class_lesson_and_date(school):
    _, teacher, mine, _ = school
    row, created = teaching_record.mark_taught(teacher, mine, _lesson(), TODAY, TODAY)
    assert created and row.lesson_version == _lesson().version and row.taught_by_id == teacher.id
    again, created_again = teaching_record.mark_taught(teacher, mine, _lesson(), TODAY, TODAY)
    assert not created_again and again.id == row.id
    other_day, created = teaching_record.mark_taught(
        teacher, mine, _lesson(), TODAY - timedelta(days=1), TODAY
    )
    assert created
    assert [r.id for r in assignments.taught_in_class(mine)] == [row.id, other_day.id]


def test_mark_taught_refuses_a_colleagues_class_and_a_bad_date(school):
    _, teacher, mine, theirs = school
    with pytest.raises(Forbidden):
        teaching_record.mark_taught(teacher, theirs, _lesson(), TODAY, TODAY)
    with pytest.raises(teaching_record.InvalidDate, match="future"):
        teaching_record.mark_taught(teacher, mine, _lesson(), TODAY + timedelta(days=1), TODAY)
    assert assignments.taught_in_class(mine) == []


def test_taught_in_class_lists_only_that_class_newest_first(school):
    _, teacher, mine, theirs = school
    other = lessons().find("ks2-grooming-1")
    older, _ = teaching_record.mark_taught(teacher, mine, other, TODAY - timedelta(days=7), TODAY)
    newer, _ = teaching_record.mark_taught(teacher, mine, _lesson(), TODAY, TODAY)
    same_day, _ = teaching_record.mark_taught(teacher, mine, other, TODAY, TODAY)
    coordinator = factories.user(mine.school, Role.COORDINATOR, username="c.one")
    teaching_record.mark_taught(coordinator, theirs, _lesson(), TODAY, TODAY)
    found = assignments.taught_in_class(mine)
    assert [r.id for r in found] == [same_day.id, newer.id, older.id]
    assert [r.class_id for r in assignments.taught_in_class(theirs)] == [theirs.id]


def test_taught_in_school_keeps_to_the_school_and_the_dates(school):
    row, teacher, mine, _ = school
    other = factories.school()
    other_teacher = factories.user(other, Role.TEACHER)
    other_class = factories.school_class(other, "4Q", 4)
    other_class.teachers.append(other_teacher)
    teaching_record.mark_taught(teacher, mine, _lesson(), date(2025, 9, 2), TODAY)
    recent, _ = teaching_record.mark_taught(teacher, mine, _lesson(), TODAY, TODAY)
    teaching_record.mark_taught(other_teacher, other_class, _lesson(), TODAY, TODAY)
    assert [r.id for r in teaching_record.taught_in_school(row.id, date(2026, 1, 1))] == [recent.id]


def test_the_aup_is_introduced_once_per_school_year(school):
    _, teacher, mine, _ = school
    ks2 = aups().get("ks2")
    assert teaching_record.classes_needing_introduction(teacher, TODAY) == [mine]
    first, created = teaching_record.introduce_aup(teacher, mine, ks2, TODAY)
    assert created and (first.audience, first.aup_id, first.aup_version) == (
        "ks2", ks2.id, ks2.version,
    )  # fmt: skip
    later, created = teaching_record.introduce_aup(teacher, mine, ks2, TODAY + timedelta(days=30))
    assert not created and later.id == first.id
    assert teaching_record.classes_needing_introduction(teacher, TODAY) == []
    next_year = date(2026, 9, 1)
    assert teaching_record.classes_needing_introduction(teacher, next_year) == [mine]
    assert teaching_record.introduce_aup(teacher, mine, ks2, next_year)[1]


def test_only_classes_a_person_teaches_need_an_introduction(school):
    row, _, _, theirs = school
    coordinator = factories.user(row, Role.COORDINATOR)
    assert teaching_record.classes_needing_introduction(coordinator, TODAY) == []
    with pytest.raises(Forbidden):
        teaching_record.introduce_aup(
            factories.user(row, Role.TEACHER), theirs, aups().get("ks2"), TODAY
        )


def test_a_class_reads_the_aup_of_its_year_group(school):
    _, _, mine, theirs = school
    reception = factories.school_class(school[0], "RB", 0)
    assert [teaching_record.class_audience(c) for c in (mine, theirs, reception)] == [
        "ks2", "ks2", "ks1",
    ]  # fmt: skip
