"""A class's progress: the pupils-by-lessons grid, its CSV export and the quiz question analysis.

The grid costs a fixed number of queries whatever the size of the class or the number of lessons.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.content.library import Library, RemovedLesson
from app.content.schema import Lesson, Option, Question
from app.extensions import db
from app.models import LessonProgress, QuizAnswer, QuizAttempt, SchoolClass, User, class_pupil
from app.models.teaching import Assignment
from app.services.csv_safety import safe_cell

RANK = {"not_started": 0, "in_progress": 1, "done": 2}


@dataclass(frozen=True)
class Column:
    """One assigned lesson in the grid, with its earliest due date."""

    lesson: Lesson | RemovedLesson  # a removed lesson keeps its column and the progress stored
    due_on: date | None


@dataclass(frozen=True)
class Cell:
    """One pupil's progress in one lesson."""

    state: str  # "not_started", "in_progress" or "done"
    best: int | None  # best quiz score, per cent
    overdue: bool


@dataclass(frozen=True)
class Row:
    """One pupil's line of the grid."""

    pupil: User
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Grid:
    """Pupils by assigned lessons, sorted as asked."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    sort: str  # "name" or a lesson id
    descending: bool


def columns(assignments: list[Assignment], library: Library) -> tuple[Column, ...]:
    """Each assigned lesson once, in the order the assignments list them, with its earliest due."""
    due: dict[str, date | None] = {}
    for assignment in assignments:
        for lesson_id in assignment.module.lesson_ids:
            so_far = due.get(lesson_id, assignment.due_on)
            dates = [d for d in (so_far, assignment.due_on) if d is not None]
            due[lesson_id] = min(dates) if dates else None
    return tuple(Column(lesson, due[lesson.id]) for lesson in library.listed(due))


def _pupils_of(school_class: SchoolClass) -> sa.Select:
    """SQL: the ids of the class's pupils."""
    return sa.select(class_pupil.c.pupil_id).where(class_pupil.c.class_id == school_class.id)


def _states(school_class: SchoolClass, lesson_ids: list[str]) -> dict[tuple[int, str], str]:
    """(pupil id, lesson id) -> "in_progress" or "done", in one query."""
    rows = db.session.execute(
        sa.select(LessonProgress.pupil_id, LessonProgress.lesson_id, LessonProgress.completed_at)
        .where(LessonProgress.pupil_id.in_(_pupils_of(school_class)))
        .where(LessonProgress.lesson_id.in_(lesson_ids))
    )
    return {(p, lid): "done" if done else "in_progress" for p, lid, done in rows}


def _best_scores(school_class: SchoolClass, lesson_ids: list[str]) -> dict[tuple[int, str], int]:
    """(pupil id, lesson id) -> best quiz score in per cent, in one query."""
    rows = db.session.execute(
        sa.select(QuizAttempt.pupil_id, QuizAttempt.lesson_id, sa.func.max(QuizAttempt.percent))
        .where(QuizAttempt.pupil_id.in_(_pupils_of(school_class)))
        .where(QuizAttempt.lesson_id.in_(lesson_ids))
        .group_by(QuizAttempt.pupil_id, QuizAttempt.lesson_id)
    )
    return {(p, lid): best for p, lid, best in rows}


def _pupils(school_class: SchoolClass) -> list[User]:
    """The class's pupils by name, in one query."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(_pupils_of(school_class)))
            .order_by(User.display_name, User.id)
        )
    )


def grid(
    school_class: SchoolClass,
    assignments: list[Assignment],
    library: Library,
    today: date,
    sort: str = "name",
    descending: bool = False,
) -> Grid:
    """The progress grid: three queries for pupils, progress and scores, whatever the sizes."""
    cols = columns(assignments, library)
    ids = [c.lesson.id for c in cols]
    states = _states(school_class, ids) if ids else {}
    best = _best_scores(school_class, ids) if ids else {}
    rows = []
    for pupil in _pupils(school_class):
        cells = []
        for col in cols:
            state = states.get((pupil.id, col.lesson.id), "not_started")
            late = col.due_on is not None and col.due_on < today and state != "done"
            cells.append(Cell(state, best.get((pupil.id, col.lesson.id)), late))
        rows.append(Row(pupil, tuple(cells)))
    if sort not in ids:
        sort = "name"
    return Grid(cols, tuple(_sorted(rows, ids, sort, descending)), sort, descending)


def _sorted(rows: list[Row], ids: list[str], sort: str, descending: bool) -> list[Row]:
    """Rows by pupil name, or by progress then best score in one lesson (name breaks ties)."""
    rows = sorted(rows, key=lambda r: r.pupil.display_name.lower())
    if sort == "name":
        return rows[::-1] if descending else rows
    at = ids.index(sort)

    def key(row: Row) -> tuple[int, int]:
        """Progress rank, then best score."""
        cell = row.cells[at]
        return RANK[cell.state], cell.best if cell.best is not None else -1

    return sorted(rows, key=key, reverse=descending)


# ---- CSV -------------------------------------------------------------------------------------


def to_csv(the_grid: Grid, heading: list[tuple[str, str]], labels: dict) -> str:
    """The grid as CSV: heading lines (school, class, date), a header row, one row per pupil."""
    out = io.StringIO()
    writer = csv.writer(out)
    for name, value in heading:
        writer.writerow([safe_cell(name), safe_cell(value)])
    writer.writerow([])
    header = [labels["pupil"]]
    for col in the_grid.columns:
        header += [col.lesson.title, f"{col.lesson.title}: {labels['score']}"]
    writer.writerow([safe_cell(h) for h in header])
    for row in the_grid.rows:
        line = [row.pupil.display_name]
        for cell in row.cells:
            status = str(labels[cell.state])
            if cell.overdue:
                status = f"{status} ({labels['overdue']})"
            line += [status, "" if cell.best is None else cell.best]
        writer.writerow([safe_cell(v) for v in line])
    return out.getvalue()


# ---- Question analysis -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionStat:
    """How a class did on one quiz question at their first attempt."""

    question: Question
    attempted: int
    right: int
    common_wrong: Option | None
    wrong_count: int

    @property
    def percent_right(self) -> int | None:
        """Share of the pupils who answered that got it right, in per cent."""
        return round(100 * self.right / self.attempted) if self.attempted else None


def question_analysis(
    school_class: SchoolClass, lesson_id: str, library: Library
) -> tuple[list[QuestionStat], int]:
    """Per question: right first time and the wrong option chosen most; and how many attempted.

    An answer counts only against the question as the pupil saw it: one handed in to a question
    whose text or options have changed since is left out, so an option id is never counted
    against an option it no longer names (one query, whatever the size of the class).
    """
    quiz = library.quiz_for(lesson_id)
    current_hash = library.content_hash(lesson_id)
    rows = db.session.execute(
        sa.select(
            QuizAttempt.pupil_id,
            QuizAttempt.content_hash,
            QuizAnswer.question_id,
            QuizAnswer.chosen,
            QuizAnswer.correct,
            QuizAnswer.shown,
        )
        .join(QuizAnswer, QuizAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.lesson_id == lesson_id, QuizAttempt.number == 1)
        .where(QuizAttempt.pupil_id.in_(_pupils_of(school_class)))
    ).all()
    pupils = {row.pupil_id for row in rows}
    stats = []
    for question in quiz.questions:
        answers = [
            (row.chosen, row.correct)
            for row in rows
            if row.question_id == question.id
            and same_question(question, row.shown, row.content_hash == current_hash)
        ]
        wrong = Counter(
            option_id
            for chosen, correct in answers
            if not correct
            for option_id in chosen
            if option_id not in question.correct_ids()
        )
        top = _top_option(question, wrong)
        stats.append(QuestionStat(question, len(answers), sum(1 for _, c in answers if c), *top))
    return stats, len(pupils)


def same_question(question: Question, shown: dict | None, same_content: bool) -> bool:
    """Whether an answer was given to this question as it is now: text, options, right answers.

    Answers that kept the options they showed compare them; older ones count only if the
    lesson's content has not changed at all since.
    """
    if not shown or "options" not in shown:
        return same_content
    then = {option_id: text for option_id, text in shown["options"]}
    now = {option.id: option.text for option in question.options}
    right = {option.text for option in question.options if option.correct}
    return shown.get("question") == question.text and then == now and set(shown["right"]) == right


def _top_option(question: Question, wrong: Counter) -> tuple[Option | None, int]:
    """The wrong option chosen most (the first in the question on a tie) and how often."""
    counted = [(wrong[o.id], o) for o in question.options if wrong[o.id]]
    if not counted:
        return None, 0
    most = max(count for count, _ in counted)
    return next(option for count, option in counted if count == most), most
