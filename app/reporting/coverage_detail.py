"""Behind one coverage cell: the lessons, who assigned and taught them, completion per class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.content import lessons
from app.content.schema import Lesson
from app.extensions import db
from app.models import (
    Assignment,
    LessonProgress,
    Module,
    ModuleLesson,
    School,
    SchoolClass,
    TaughtLesson,
    User,
    class_pupil,
)
from app.reporting.coverage import Window, in_windows, lesson_keys, window


@dataclass(frozen=True)
class Set:
    """One lesson set by an assignment: which module, to whom, by whom, when."""

    lesson_id: str
    module: str
    class_name: str | None  # None: the whole year group
    set_by: str | None
    set_on: datetime
    due_on: date | None


@dataclass(frozen=True)
class Taught:
    """One lesson taught from the board to a class."""

    lesson_id: str
    class_name: str
    taught_by: str | None
    taught_on: date


@dataclass(frozen=True)
class ClassCompletion:
    """How many pupils of one class completed a lesson of this strand or topic."""

    class_id: int
    name: str
    pupils: int
    completers: int

    @property
    def percent(self) -> int | None:
        """Share of the class who completed, or None for an empty class."""
        return round(100 * self.completers / self.pupils) if self.pupils else None


@dataclass(frozen=True)
class Detail:
    """Everything behind one cell of the matrix for one school."""

    year: int
    key: str
    window: Window
    lessons: list[Lesson]
    sets: list[Set]
    taught: list[Taught]
    classes: list[ClassCompletion]


def detail(school: School, year: int, by: str, key: str, today: date) -> Detail:
    """The lessons, assignments, teaching and per-class completion behind one cell (5 queries)."""
    ids = [lid for lid, keys in lesson_keys(by).items() if key in keys]
    span = window(school, today)
    sets, taught = _sets(school, year, ids, span), _taught(school, year, ids, span)
    used = {row.lesson_id for row in (*sets, *taught)}
    shown = [
        lesson
        for lesson in lessons().lessons()
        if lesson.id in ids and (lesson.id in used or year in _years(lesson.band))
    ]
    return Detail(year, key, span, shown, sets, taught, _classes(school, year, ids, span))


def _years(band_id: str) -> tuple[int, ...]:
    """The year groups taught from a band, Reception included with KS1."""
    from app.content.strands import band

    years = band(band_id).years
    return (0, *years) if band_id == "ks1" else years


def _sets(school: School, year: int, ids: list[str], span: Window) -> list[Set]:
    """Active assignments this school year of these lessons to the year group or its classes."""
    setter = aliased(User)
    rows = db.session.execute(
        sa.select(
            ModuleLesson.lesson_id,
            Module.title,
            SchoolClass.name,
            setter.display_name,
            Assignment.created_at,
            Assignment.due_on,
        )  # fmt: skip
        .select_from(Assignment)
        .join(Module, Module.id == Assignment.module_id)
        .join(ModuleLesson, ModuleLesson.module_id == Module.id)
        .outerjoin(SchoolClass, SchoolClass.id == Assignment.class_id)
        .outerjoin(setter, setter.id == Assignment.set_by_id)
        .where(ModuleLesson.lesson_id.in_(ids), Assignment.withdrawn_at.is_(None))
        .where(sa.func.coalesce(SchoolClass.year, Assignment.year) == year)
        .where(in_windows(Assignment.school_id, Assignment.created_at, [span]))
        .order_by(Assignment.created_at, ModuleLesson.lesson_id)
    )
    return [Set(*row) for row in rows]


def _taught(school: School, year: int, ids: list[str], span: Window) -> list[Taught]:
    """Lessons of these ids taught this school year to classes of the year group."""
    teacher = aliased(User)
    rows = db.session.execute(
        sa.select(
            TaughtLesson.lesson_id, SchoolClass.name, teacher.display_name, TaughtLesson.taught_on
        )  # fmt: skip
        .join(SchoolClass, SchoolClass.id == TaughtLesson.class_id)
        .outerjoin(teacher, teacher.id == TaughtLesson.taught_by_id)
        .where(TaughtLesson.lesson_id.in_(ids), SchoolClass.year == year)
        .where(in_windows(TaughtLesson.school_id, TaughtLesson.taught_on, [span], dates=True))
        .order_by(TaughtLesson.taught_on, SchoolClass.name)
    )
    return [Taught(*row) for row in rows]


def _classes(school: School, year: int, ids: list[str], span: Window) -> list[ClassCompletion]:
    """Each class of the year group with its active pupils and how many completed these lessons."""
    pupil, member = aliased(User), class_pupil.c
    finished = (
        sa.select(LessonProgress.pupil_id)
        .join(User, User.id == LessonProgress.pupil_id)
        .where(LessonProgress.lesson_id.in_(ids))
        .where(in_windows(User.school_id, LessonProgress.completed_at, [span]))
        .distinct()
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            SchoolClass.id,
            SchoolClass.name,
            sa.func.count(pupil.id),
            sa.func.count(finished.c.pupil_id),
        )  # fmt: skip
        .outerjoin(class_pupil, member.class_id == SchoolClass.id)
        .outerjoin(pupil, sa.and_(pupil.id == member.pupil_id, pupil.active.is_(True)))
        .outerjoin(finished, finished.c.pupil_id == pupil.id)
        .where(SchoolClass.school_id == school.id, SchoolClass.year == year)
        .group_by(SchoolClass.id, SchoolClass.name)
        .order_by(SchoolClass.name)
    )
    return [ClassCompletion(*row) for row in rows]
