"""The year rollover: every pupil moves up a year group, last year's classes end, leavers leave.

Usually a new roster import in September moves everyone; a school that keeps its people by hand
runs this instead (`flask --app wsgi school rollover --school URN`, or the admin's button).

- The school's last year group leaves: School.last_year (6 for a primary), else Year 13.
- Before anyone moves, each pupil's year group is kept for the school year that is ending
  (PupilYear): reports of that year read it, so last year's coverage stays as it was.
- A school moves into a school year once: School.rolled_over_on notes the first day of the
  school year it moved into (set when the school is made, too), and a second run in that
  school year changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import LoginSession, PupilYear, Role, School, SchoolClass, User, utcnow
from app.models.years import YEARS
from app.services import school_calendar


class AlreadyRolledOver(Exception):
    """The school has already moved into this school year."""


@dataclass
class Plan:
    """What a rollover would do: the school year it moves into, and who and what changes."""

    school: School
    year_start: date
    last_year: int
    moving: Counter = field(default_factory=Counter)  # year group now -> pupils moving up
    leaving: int = 0
    classes: list[SchoolClass] = field(default_factory=list)
    already_done: bool = False

    @property
    def moving_total(self) -> int:
        """How many pupils move up a year group."""
        return sum(self.moving.values())


def last_year_of(school: School) -> int:
    """The school's last year group: its own setting, else Year 13.

    Never guessed from the pupils it has: a new school growing a year group at a time (only
    Year 7 in its first year) would otherwise see all its pupils leave at the first rollover.
    A primary sets 6 (`school create --last-year 6`, or the rollover's own choice).
    """
    return school.last_year if school.last_year is not None else YEARS[-1]


def _pupils(school: School) -> tuple:
    """Conditions for the school's pupils on roll."""
    return (User.school_id == school.id, User.role == Role.PUPIL, User.active.is_(True))


def plan(school: School, today: date, last_year: int | None = None) -> Plan:
    """What rolling the school into the school year today falls in would do (nothing written),
    with its own last year group or, for a preview, the one given."""
    start = school_calendar.year_start(school, today)
    last = last_year if last_year is not None else last_year_of(school)
    found = Plan(school, start, last, already_done=school.rolled_over_on == start)
    years = db.session.scalars(sa.select(User.year).where(*_pupils(school)))
    for year in years:
        if year is None:
            continue
        if year >= last:
            found.leaving += 1
        else:
            found.moving[year] += 1
    found.classes = list(
        db.session.scalars(
            sa.select(SchoolClass)
            .where(SchoolClass.school_id == school.id, SchoolClass.ended_at.is_(None))
            .order_by(SchoolClass.year, SchoolClass.name)
        )
    )
    return found


def roll_over(school: School, today: date, last_year: int | None = None) -> Plan:
    """Move the school into the school year today falls in, and commit; returns what was done.

    last_year, when given, becomes the school's last year group first. Raises
    AlreadyRolledOver when the school has already moved this school year (nothing changes).
    """
    begin_write()
    db.session.refresh(school)  # read under the write lock: two runs at once move pupils once
    done = plan(school, today)
    if done.already_done:
        raise AlreadyRolledOver(str(done.year_start))
    if last_year is not None:
        school.last_year = last_year
        done = plan(school, today)
    now = utcnow()
    ending = school_calendar.previous_year_start(school, today)
    pupils = db.session.scalars(sa.select(User).where(*_pupils(school), User.year.isnot(None)))
    leavers = []
    for pupil in pupils:
        if not _kept(pupil.id, ending):
            db.session.add(
                PupilYear(
                    school_id=school.id, pupil_id=pupil.id, year_start=ending, year=pupil.year
                )
            )
        if pupil.year >= done.last_year:
            pupil.active = False
            pupil.left_at = now
            leavers.append(pupil.id)
        else:
            pupil.year += 1
    for school_class in done.classes:
        school_class.ended_at = now
        school_class.sign_in_code = None
        school_class.sign_in_code_expires_at = None
    if leavers:
        db.session.execute(
            sa.update(LoginSession)
            .where(LoginSession.user_id.in_(leavers), LoginSession.ended_at.is_(None))
            .values(ended_at=now, end_reason="left_school")
        )
    school.rolled_over_on = done.year_start
    db.session.commit()
    return done


def _kept(pupil_id: int, year_start: date) -> bool:
    """Whether a pupil's year group for that school year is already kept."""
    return (
        db.session.scalar(
            sa.select(PupilYear.id).where(
                PupilYear.pupil_id == pupil_id, PupilYear.year_start == year_start
            )
        )
        is not None
    )
