"""What was taught from the board: lessons taught to a class, and year-start AUP introductions."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.content.aup import Aup
from app.content.schema import Lesson
from app.errors import Forbidden
from app.extensions import db
from app.models import AupIntroduction, School, SchoolClass, TaughtLesson, User
from app.models.years import pupil_audience
from app.services import school_access, school_calendar


class InvalidDate(ValueError):
    """A teaching date in the future or before the school year began; the message says which."""


def date_problem(school: School, day: date, today: date):
    """Why day cannot be a teaching date (a lazy message), or None when it can."""
    start = school_calendar.year_start(school, today)
    if day > today:
        return _l("The date cannot be in the future.")
    if day < start:
        day_text = format_date(start, "long")
        return _l("The date cannot be before this school year began on %(start)s.", start=day_text)
    return None


def mark_taught(
    user: User,
    school_class: SchoolClass,
    lesson: Lesson,
    taught_on: date,
    today: date | None = None,
) -> tuple[TaughtLesson, bool]:
    """Record that user taught lesson to the class on a date; (row, False) if already recorded."""
    if not school_access.may_see_class(user, school_class):
        raise Forbidden()
    problem = date_problem(school_class.school, taught_on, today or school_calendar.today())
    if problem is not None:
        raise InvalidDate(str(problem))
    existing = _taught(school_class.id, lesson.id, taught_on)
    if existing is not None:
        return existing, False
    row = TaughtLesson(
        school_id=school_class.school_id,
        class_id=school_class.id,
        lesson_id=lesson.id,
        lesson_version=lesson.version,
        taught_on=taught_on,
        taught_by_id=user.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # recorded by someone else at the same moment
        return _taught(school_class.id, lesson.id, taught_on), False
    db.session.commit()
    return row, True


def _taught(class_id: int, lesson_id: str, taught_on: date) -> TaughtLesson | None:
    """The record of one lesson taught to one class on one date, if there is one."""
    return db.session.scalar(
        sa.select(TaughtLesson).where(
            TaughtLesson.class_id == class_id,
            TaughtLesson.lesson_id == lesson_id,
            TaughtLesson.taught_on == taught_on,
        )
    )


def taught_in_school(school_id: int, since: date) -> list[TaughtLesson]:
    """Every lesson taught in a school on or after a date, oldest first."""
    return list(
        db.session.scalars(
            sa.select(TaughtLesson)
            .where(TaughtLesson.school_id == school_id, TaughtLesson.taught_on >= since)
            .order_by(TaughtLesson.taught_on, TaughtLesson.id)
        )
    )


def introduction_this_year(school_class: SchoolClass, today: date) -> AupIntroduction | None:
    """The class's AUP introduction in the school year of today, if it has had one."""
    start = school_calendar.year_start(school_class.school, today)
    return db.session.scalar(
        sa.select(AupIntroduction)
        .where(AupIntroduction.class_id == school_class.id, AupIntroduction.introduced_on >= start)
        .order_by(AupIntroduction.introduced_on)
        .limit(1)
    )


def introduce_aup(
    user: User, school_class: SchoolClass, aup: Aup, today: date
) -> tuple[AupIntroduction, bool]:
    """Record that user introduced the class's AUP today; (earlier row, False) if done this year."""
    if not school_access.may_see_class(user, school_class):
        raise Forbidden()
    earlier = introduction_this_year(school_class, today)
    if earlier is not None:
        return earlier, False
    row = AupIntroduction(
        school_id=school_class.school_id,
        class_id=school_class.id,
        audience=aup.audience,
        aup_id=aup.id,
        aup_version=aup.version,
        introduced_on=today,
        introduced_by_id=user.id,
    )
    db.session.add(row)
    db.session.commit()
    return row, True


def class_audience(school_class: SchoolClass) -> str:
    """Which pupil AUP a class reads, from its year group."""
    return pupil_audience(school_class.year)


def classes_needing_introduction(user: User, today: date) -> list[SchoolClass]:
    """The classes user teaches that have not had their AUP introduced this school year."""
    start = school_calendar.year_start(user.school, today)
    introduced = sa.select(AupIntroduction.class_id).where(
        AupIntroduction.introduced_on >= start, AupIntroduction.school_id == user.school_id
    )
    return list(
        db.session.scalars(
            sa.select(SchoolClass)
            .where(
                SchoolClass.school_id == user.school_id,
                SchoolClass.ended_at.is_(None),
                SchoolClass.teachers.any(User.id == user.id),
                SchoolClass.id.not_in(introduced),
            )
            .order_by(SchoolClass.year, SchoolClass.name)
        )
    )
