"""The misconceptions a class or a year group shows most in first quiz attempts, with counts.

Each wrong quiz option names one misconception from quizzes/misconceptions.yaml, kept by id with
the answer at hand-in (QuizMisconception). A pupil counts once per misconception, however many
questions or lessons showed it, so the figures read "how many pupils think this". First attempts
only, in the current school year: a first attempt shows what a lesson left pupils believing.
Each view costs one query, whatever the number of pupils, lessons or answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.content.library import Library
from app.content.schema import Misconception
from app.extensions import db
from app.models import (
    QuizAnswer,
    QuizAttempt,
    QuizMisconception,
    Role,
    School,
    SchoolClass,
    User,
    class_pupil,
)
from app.reporting.coverage import in_windows, window

TOP = 5
"""How many misconceptions each list shows."""


@dataclass(frozen=True)
class Count:
    """One misconception and how many pupils showed it."""

    id: str
    misconception: Misconception | None  # None: an id that has left the list since
    pupils: int

    @property
    def label(self) -> str:
        """The misconception's short label, or its stored id if it has left the list."""
        return self.misconception.label if self.misconception is not None else self.id


def _pupils_showing():
    """SELECT of (misconception id, distinct pupils) over first attempts; add filters and GROUP."""
    pupils = sa.func.count(sa.distinct(QuizAttempt.pupil_id)).label("pupils")
    return (
        sa.select(QuizMisconception.misconception_id, pupils)
        .select_from(QuizMisconception)
        .join(QuizAnswer, QuizAnswer.id == QuizMisconception.answer_id)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(QuizAttempt.number == 1)
    ), pupils


def _ranked(rows, library: Library, limit: int) -> list[Count]:
    """Counts, most pupils first (then by the list's order), cut to limit."""
    order = {m.id: n for n, m in enumerate(library.misconceptions())}
    counts = [Count(mid, library.misconception(mid), n) for mid, n in rows]
    counts.sort(key=lambda c: (-c.pupils, order.get(c.id, len(order)), c.id))
    return counts[:limit]


def for_class(
    school_class: SchoolClass, school: School, library: Library, today: date, limit: int = TOP
) -> list[Count]:
    """The class's most common misconceptions this school year, across every quiz (one query)."""
    query, _ = _pupils_showing()
    members = sa.select(class_pupil.c.pupil_id).where(class_pupil.c.class_id == school_class.id)
    query = (
        query.join(User, User.id == QuizAttempt.pupil_id)
        .where(QuizAttempt.pupil_id.in_(members))
        .where(in_windows(User.school_id, QuizAttempt.submitted_at, [window(school, today)]))
        .group_by(QuizMisconception.misconception_id)
    )
    return _ranked(db.session.execute(query).all(), library, limit)


def by_year_group(
    school: School, library: Library, today: date, limit: int = TOP
) -> dict[int, list[Count]]:
    """Each year group's most common misconceptions this school year (one query for all)."""
    query, _ = _pupils_showing()
    query = (
        query.add_columns(User.year)
        .join(User, User.id == QuizAttempt.pupil_id)
        .where(User.role == Role.PUPIL, User.active.is_(True), User.year.is_not(None))
        .where(in_windows(User.school_id, QuizAttempt.submitted_at, [window(school, today)]))
        .group_by(User.year, QuizMisconception.misconception_id)
    )
    grouped: dict[int, list[tuple[str, int]]] = {}
    for misconception_id, n, year in db.session.execute(query):
        grouped.setdefault(year, []).append((misconception_id, n))
    return {year: _ranked(rows, library, limit) for year, rows in sorted(grouped.items())}
