"""Progression: completion and quiz scores by year group and topic, this school year and last,
and how each cohort's scores moved as it went up the school.

Nothing new is stored. A pupil's year group in an earlier school year is their year group now
minus the school years since (pupils move up one year group at each rollover), so last year's
Year 5 are this year's Year 6. Scores are first attempts only: a first attempt shows what the
lesson taught, while a best attempt would mostly show how often a pupil retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from app.content.topics import TOPIC_IDS
from app.extensions import db
from app.models import LessonProgress, QuizAttempt, Role, School, User
from app.reporting.coverage import Window, in_windows, key_table, window
from app.services import school_calendar

PERIODS = (0, 1, 2)  # this school year, last school year, the one before
TABLE_PERIODS = (0, 1)


@dataclass
class Figure:
    """Completion and first-attempt quiz scores of one year group, topic and school year."""

    pupils: int = 0
    completers: int = 0
    score_sum: int = 0
    attempts: int = 0

    @property
    def completion(self) -> int | None:
        """Per cent of the year group who completed a lesson on the topic, or None."""
        return round(100 * self.completers / self.pupils) if self.pupils else None

    @property
    def average(self) -> int | None:
        """Average first-attempt quiz score in per cent, or None without attempts."""
        return round(self.score_sum / self.attempts) if self.attempts else None


@dataclass(frozen=True)
class Point:
    """A cohort's average in one school year, and the year group it was then."""

    period: int
    year_then: int
    average: int | None
    attempts: int


@dataclass
class Progression:
    """A school's progression figures."""

    school: School
    windows: list[Window]  # this school year first
    years: list[int]
    figures: dict[tuple[int, str, int], Figure] = field(default_factory=dict)
    cohorts: dict[int, list[Point]] = field(default_factory=dict)

    def figure(self, year: int, topic: str, period: int) -> Figure:
        """The figure for a year group (as it was then), a topic and a school year."""
        return self.figures.get((year, topic, period)) or Figure()

    def years_then(self, period: int) -> list[int]:
        """The year groups today's pupils were in that many school years ago (none below 0)."""
        return [year - period for year in self.years if year - period >= 0]

    def cohort_topics(self, year_now: int) -> list[tuple[str, Figure, Figure]]:
        """A cohort's first-attempt scores topic by topic: (topic, last school year, this one).

        This year's Year 5 against their own Year 4: the same pupils, a year apart, each year
        on that year's own lesson.
        """
        rows = [
            (topic, self.figure(year_now - 1, topic, 1), self.figure(year_now, topic, 0))
            for topic in TOPIC_IDS
        ]
        return [row for row in rows if row[1].attempts or row[2].attempts]

    def cohort_rows(self, periods: Sequence[int]) -> list[tuple[int, list[Point | None]]]:
        """Each cohort (by its year group now) with its point in each of periods, None if none."""
        return [
            (
                year_now,
                [next((p for p in points if p.period == period), None) for period in periods],
            )
            for year_now, points in self.cohorts.items()
        ]


def windows_back(school: School, today: date) -> list[Window]:
    """This school year and the two before it, newest first."""
    found = [window(school, today)]
    for _ in PERIODS[1:]:
        found.append(window(school, found[-1].start - timedelta(days=1)))
    return found


def progression(school: School, today: date) -> Progression:
    """Figures by year group and topic, and cohort averages over three school years (3 queries)."""
    spans = windows_back(school, today)
    pupils = dict(
        db.session.execute(
            sa.select(User.year, sa.func.count())
            .where(User.school_id == school.id, User.role == Role.PUPIL, User.active.is_(True))
            .group_by(User.year)
        ).all()
    )
    years = sorted(y for y in pupils if y is not None)
    result = Progression(school, spans, years)
    for (year_now, topic, period), n in _completions(school, spans).items():
        result.figures.setdefault((year_now - period, topic, period), Figure()).completers = n
    cohort_sums: dict[tuple[int, int], list[int]] = {}
    for (year_now, topic, period), (total, count) in _scores(school, spans).items():
        figure = result.figures.setdefault((year_now - period, topic, period), Figure())
        figure.score_sum, figure.attempts = total, count
        sums = cohort_sums.setdefault((year_now, period), [0, 0])
        sums[0], sums[1] = sums[0] + total, sums[1] + count
    for (year_then, _topic, period), figure in result.figures.items():
        figure.pupils = pupils.get(year_then + period, 0)
    for year_now in years:
        points = [
            Point(p, year_now - p, *_average(cohort_sums.get((year_now, p), [0, 0])))
            for p in PERIODS
            if year_now - p >= 0
        ]
        result.cohorts[year_now] = points
    return result


def _average(sums: list[int]) -> tuple[int | None, int]:
    """(average per cent or None, number of attempts) from a [sum, count] pair."""
    return (round(sums[0] / sums[1]) if sums[1] else None), sums[1]


def _period(column, spans: list[Window]):
    """A CASE giving 0 for this school year, 1 for last year, 2 for the one before."""
    return sa.case(
        *((column >= school_calendar.midnight(w.start), n) for n, w in enumerate(spans)),
        else_=len(spans),
    )


def _completions(school: School, spans: list[Window]) -> dict[tuple[int, str, int], int]:
    """Distinct pupils completing a lesson per (year group now, topic, school year)."""
    table = key_table("topic")
    period = _period(LessonProgress.completed_at, spans[: len(TABLE_PERIODS)])
    query = (
        sa.select(User.year, table.c.key, period, sa.func.count(sa.distinct(User.id)))
        .select_from(LessonProgress)
        .join(User, User.id == LessonProgress.pupil_id)
        .join(table, table.c.lesson_id == LessonProgress.lesson_id)
        .where(User.role == Role.PUPIL, User.active.is_(True))
        .where(in_windows(User.school_id, LessonProgress.completed_at, _span(spans, 2)))
        .group_by(User.year, table.c.key, period)
    )
    return {(y, t, p): n for y, t, p, n in db.session.execute(query) if y is not None}


def _scores(school: School, spans: list[Window]) -> dict[tuple[int, str, int], tuple[int, int]]:
    """(sum, count) of first-attempt percentages per (year group now, topic, school year)."""
    table = key_table("topic")
    period = _period(QuizAttempt.submitted_at, spans)
    query = (
        sa.select(
            User.year, table.c.key, period, sa.func.sum(QuizAttempt.percent), sa.func.count()
        )  # fmt: skip
        .select_from(QuizAttempt)
        .join(User, User.id == QuizAttempt.pupil_id)
        .join(table, table.c.lesson_id == QuizAttempt.lesson_id)
        .where(QuizAttempt.number == 1, User.role == Role.PUPIL, User.active.is_(True))
        .where(in_windows(User.school_id, QuizAttempt.submitted_at, _span(spans, len(spans))))
        .group_by(User.year, table.c.key, period)
    )
    rows = db.session.execute(query)
    return {(y, t, p): (int(total or 0), n) for y, t, p, total, n in rows if y is not None}


def _span(spans: list[Window], n: int) -> list[Window]:
    """One window covering the newest n school years."""
    return [Window(spans[0].school_id, spans[n - 1].start, spans[0].end)]
