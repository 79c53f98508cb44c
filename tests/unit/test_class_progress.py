"""The class progress grid: states, overdue, sorting, a fixed query count, and safe CSV cells."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.content import lessons
from app.extensions import db
from app.models import LessonProgress, QuizAttempt, Role
from app.reporting import class_progress
from app.services import assignments
from tests import factories

TODAY = date(2025, 3, 3)


def _class_with(n_pupils: int, n_lessons: int):
    """A class of n pupils with one module of n lessons set, some progress recorded."""
    school = factories.school()
    group = factories.school_class(school, "4Q", 4)
    ids = [lesson.id for lesson in lessons().lessons()[:n_lessons]]
    made = factories.module(school, ids)
    factories.assignment(made, group, due_on=TODAY - timedelta(days=1))
    for n in range(n_pupils):
        pupil = factories.user(school, Role.PUPIL, display_name=f"Pupil {n:02d}")
        group.pupils.append(pupil)
        done = datetime(2025, 3, 1)
        db.session.add(
            LessonProgress(pupil_id=pupil.id, lesson_id=ids[0], lesson_version=1,
                           content_hash="x", current_step="quiz", completed_at=done)
        )  # fmt: skip
        db.session.add(
            QuizAttempt(pupil_id=pupil.id, lesson_id=ids[0], lesson_version=1, content_hash="x",
                        number=1, score=n % 5, total=5, percent=20 * (n % 5), passed=False)
        )  # fmt: skip
    db.session.commit()
    return group


def _grid(group, **sort):
    return class_progress.grid(group, assignments.for_class(group), lessons(), TODAY, **sort)


def test_cells_show_state_best_score_and_overdue(app):
    group = _class_with(3, 2)
    grid = _grid(group)
    first = grid.rows[0].cells
    assert first[0].state == "done" and first[0].best == 0 and not first[0].overdue
    assert first[1].state == "not_started" and first[1].overdue


def test_sorting_by_a_lesson_puts_least_progress_first(app):
    group = _class_with(4, 1)
    lesson_id = lessons().lessons()[0].id
    grid = _grid(group, sort=lesson_id, descending=True)
    assert [r.cells[0].best for r in grid.rows] == [60, 40, 20, 0]
    by_name = _grid(group, descending=True)
    assert by_name.rows[0].pupil.display_name == "Pupil 03"
    assert _grid(group, sort="not-a-column").sort == "name"


def _queries(group) -> int:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        db.session.expire_all()
        grid = _grid(group)
        [cell.state for row in grid.rows for cell in row.cells]
        [row.pupil.display_name for row in grid.rows]
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_grid_costs_the_same_few_queries_for_35_pupils_by_20_lessons(app):
    small = _queries(_class_with(5, 2))
    big = _queries(_class_with(35, 20))
    assert small == big
    assert big <= 8  # class, assignments, modules, their lessons, pupils, progress, scores
