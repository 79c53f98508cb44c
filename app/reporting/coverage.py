"""Coverage: which framework strands (or topics) each year group was assigned, taught and completed.

Every figure is aggregated in SQL with GROUP BY against a small literal table that maps each
lesson id to its strands (or topic), so the matrix costs the same few queries however many pupils
a school has. Assignments, lessons taught and completions count from the start of each school's
current school year (or of the school year a given day falls in). A pupil counts in the year group
they were in that school year: kept at the year rollover (PupilYear), so after everyone moves up
last year's figures stay as they were, leavers included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.content import lessons
from app.content.strands import STRAND_CODES
from app.content.topics import TOPIC_IDS
from app.extensions import db
from app.models import (
    Assignment,
    LessonProgress,
    ModuleLesson,
    PupilYear,
    Role,
    School,
    SchoolClass,
    TaughtLesson,
    User,
)
from app.models.years import YEARS
from app.services import school_calendar

DIMENSIONS = ("strand", "topic")
STATEMENT = "statement"  # a third way to count, shown a year group at a time (statement_rows)
STRONG = 50  # per cent of a year group completing, with teaching, counts as well covered


@dataclass(frozen=True)
class Window:
    """One school's current school year: from its first day up to (not including) the next."""

    school_id: int
    start: date
    end: date


@dataclass(frozen=True)
class Cell:
    """One strand (or topic) in one year group: lessons assigned, lessons taught, pupils done."""

    year: int
    key: str
    assigned: int = 0
    taught: int = 0
    completers: int = 0
    pupils: int = 0
    classes: int = 0

    @property
    def percent(self) -> int | None:
        """Share of the year group's pupils who completed a lesson of this key, or None."""
        return round(100 * self.completers / self.pupils) if self.pupils else None

    @property
    def state(self) -> str:
        """none (no classes), gap, assigned, under_way or strong: the colour and legend key."""
        if not self.classes and not self.pupils:
            return "none"
        if not (self.assigned or self.taught or self.completers):
            return "gap"
        if self.taught and (self.percent or 0) >= STRONG:
            return "strong"
        if self.taught or self.completers:
            return "under_way"
        return "assigned"


@dataclass
class Matrix:
    """A coverage matrix: rows of keys (strand codes or topic ids), columns of year groups."""

    by: str
    keys: tuple[str, ...]
    windows: list[Window]
    cells: dict[tuple[str, int], Cell] = field(default_factory=dict)

    def cell(self, key: str, year: int) -> Cell:
        """The cell for a key and a year group (empty when nothing happened)."""
        return self.cells.get((key, year)) or Cell(year, key)

    def gaps(self) -> list[Cell]:
        """Every gap: a year group with classes where nothing of a key was set, taught or done."""
        return [c for k in self.keys for y in YEARS if (c := self.cell(k, y)).state == "gap"]


def window(school: School, today: date) -> Window:
    """The school year that today falls in, for one school."""
    start = school_calendar.year_start(school, today)
    return Window(school.id, start, school_calendar.next_year_start(school, today))


def keys_for(by: str) -> tuple[str, ...]:
    """The rows of a matrix: strand codes in framework order, topic ids or statement ids."""
    if by == STATEMENT:
        return tuple(statement.id for statement in lessons().statements())
    if by not in DIMENSIONS:
        raise ValueError(f"coverage is by strand, topic or statement, not {by!r}")
    return STRAND_CODES if by == "strand" else TOPIC_IDS


def _keys_of(lesson, by: str) -> tuple[str, ...]:
    """The keys one lesson counts toward: its strands, its topic or its framework statements."""
    if by == STATEMENT:
        return lesson.statements
    return lesson.strands if by == "strand" else (lesson.topic,)


def lesson_keys(by: str) -> dict[str, tuple[str, ...]]:
    """Each lesson id with the keys it counts toward: its strands, topic or statements."""
    keys_for(by)
    return {lesson.id: _keys_of(lesson, by) for lesson in lessons().lessons()}


def key_table(by: str) -> sa.CTE:
    """A literal (lesson_id, key) table to join on, built from the content library.

    A VALUES list, not a UNION of SELECTs: SQLite caps a compound SELECT at 500 parts, and the
    curriculum's lesson-statement pairs pass that.
    """
    rows = [(lesson_id, key) for lesson_id, keys in lesson_keys(by).items() for key in keys]
    rows = rows or [("", "")]  # VALUES needs a row; no lesson id is empty, so it joins nothing
    columns = (sa.column("lesson_id", sa.String), sa.column("key", sa.String))
    return sa.values(*columns, name="lesson_key").data(rows).cte("lesson_key")


def in_windows(school_col, when_col, windows: Iterable[Window], dates: bool = False):
    """A condition: the row is in one of the schools, inside that school's school year."""
    return sa.or_(
        *(
            sa.and_(
                school_col == w.school_id,
                when_col >= (w.start if dates else school_calendar.midnight(w.start)),
                when_col < (w.end if dates else school_calendar.midnight(w.end)),
            )
            for w in windows
        )
    )


def matrix(schools: Sequence[School], by: str, today: date) -> Matrix:
    """The coverage matrix for one school, or the total of several (5 queries in all)."""
    windows = [window(school, today) for school in schools]
    table = key_table(by)
    counts: dict[tuple[str, int], dict] = {}
    for name, query in (
        ("assigned", _assigned(table, windows)),
        ("taught", _taught(table, windows)),
        ("completers", _completed(table, windows)),
    ):
        for year, key, n in db.session.execute(query):
            if year is not None:
                counts.setdefault((key, year), {})[name] = n
    pupils = _pupils_per_year(windows)
    classes = _per_year(sa.select(SchoolClass.year, sa.func.count()).where(_live_in(windows)))
    cells = {
        (key, year): Cell(
            year,
            key,
            **counts.get((key, year), {}),
            pupils=pupils.get(year, 0),
            classes=classes.get(year, 0),
        )
        for key in keys_for(by)
        for year in YEARS
    }
    return Matrix(by, keys_for(by), windows, cells)


def _pupils_of(ids: list[int]) -> tuple:
    """Conditions for the active pupils of some schools."""
    return (User.school_id.in_(ids), User.role == Role.PUPIL, User.active.is_(True))


def _live_in(windows: list[Window]):
    """A condition: a class of one of the schools not ended before its window's school year did.

    The rollover ends last year's classes just after the new school year begins: they count in
    the year they were taught, not in the new one.
    """
    return sa.or_(
        *(
            sa.and_(
                SchoolClass.school_id == w.school_id,
                sa.or_(
                    SchoolClass.ended_at.is_(None),
                    SchoolClass.ended_at >= school_calendar.midnight(w.end),
                ),
            )
            for w in windows
        )
    )


def _kept_for(windows: list[Window]):
    """A condition: a kept year group (PupilYear) of one of the schools for its window's year."""
    return sa.or_(
        *(
            sa.and_(PupilYear.school_id == w.school_id, PupilYear.year_start == w.start)
            for w in windows
        )
    )


def _pupils_per_year(windows: list[Window]) -> dict[int, int]:
    """Pupils per year group: as kept at rollover for a past school year, else those on roll now."""
    counts: dict[int, int] = {}
    kept_schools = set()
    kept = (
        sa.select(PupilYear.school_id, PupilYear.year, sa.func.count())
        .where(_kept_for(windows))
        .group_by(PupilYear.school_id, PupilYear.year)
    )
    for school_id, year, n in db.session.execute(kept):
        counts[year] = counts.get(year, 0) + n
        kept_schools.add(school_id)
    others = [w.school_id for w in windows if w.school_id not in kept_schools]
    if others:
        now = _per_year(sa.select(User.year, sa.func.count()).where(*_pupils_of(others)))
        for year, n in now.items():
            counts[year] = counts.get(year, 0) + n
    return counts


def _per_year(query) -> dict[int, int]:
    """Run a (year, count) query grouped by its first column."""
    first = query.selected_columns[0]
    return {year: n for year, n in db.session.execute(query.group_by(first)) if year is not None}


def _assigned(table, windows: list[Window]):
    """(year, key, distinct lessons) set by active assignments to a class or a year group."""
    year = sa.func.coalesce(SchoolClass.year, Assignment.year)
    return (
        sa.select(year, table.c.key, sa.func.count(sa.distinct(ModuleLesson.lesson_id)))
        .select_from(Assignment)
        .join(ModuleLesson, ModuleLesson.module_id == Assignment.module_id)
        .join(table, table.c.lesson_id == ModuleLesson.lesson_id)
        .outerjoin(SchoolClass, SchoolClass.id == Assignment.class_id)
        .where(Assignment.withdrawn_at.is_(None))
        .where(in_windows(Assignment.school_id, Assignment.created_at, windows))
        .group_by(year, table.c.key)
    )


def _taught(table, windows: list[Window]):
    """(year, key, distinct lessons) taught to a class of the year group."""
    return (
        sa.select(SchoolClass.year, table.c.key, sa.func.count(sa.distinct(TaughtLesson.lesson_id)))
        .select_from(TaughtLesson)
        .join(SchoolClass, SchoolClass.id == TaughtLesson.class_id)
        .join(table, table.c.lesson_id == TaughtLesson.lesson_id)
        .where(in_windows(TaughtLesson.school_id, TaughtLesson.taught_on, windows, dates=True))
        .group_by(SchoolClass.year, table.c.key)
    )


def _completed(table, windows: list[Window]):
    """(year, key, distinct pupils) who completed a lesson of the key in the school year.

    The year group is the one the pupil was in then (kept at rollover), else the one now; a
    pupil who has since left counts when that school year's year group was kept.
    """
    year = sa.func.coalesce(PupilYear.year, User.year)
    return (
        sa.select(year, table.c.key, sa.func.count(sa.distinct(LessonProgress.pupil_id)))
        .select_from(LessonProgress)
        .join(User, User.id == LessonProgress.pupil_id)
        .join(table, table.c.lesson_id == LessonProgress.lesson_id)
        .outerjoin(
            PupilYear,
            sa.and_(PupilYear.pupil_id == LessonProgress.pupil_id, _kept_for(windows)),
        )
        .where(User.role == Role.PUPIL)
        .where(sa.or_(User.active.is_(True), PupilYear.id.isnot(None)))
        .where(in_windows(User.school_id, LessonProgress.completed_at, windows))
        .group_by(year, table.c.key)
    )
