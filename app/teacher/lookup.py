"""Fetch the object a teacher's URL names, or stop: another school's is 404, not theirs is 403."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.content import lessons
from app.content.schema import Lesson
from app.extensions import db
from app.models.teaching import Assignment, Module
from app.services import assignments


def module_or_abort(module_id: int, edit: bool = False) -> Module:
    """A module of the user's school; to edit, one they may edit (assignments.may_edit_module)."""
    found = db.session.get(Module, module_id)
    if found is None or not assignments.may_see_module(current_user, found):
        abort(404)
    if edit and not assignments.may_edit_module(current_user, found):
        abort(403)
    return found


def assignment_or_abort(assignment_id: int) -> Assignment:
    """An assignment the user may change (assignments.may_change)."""
    found = db.session.get(Assignment, assignment_id)
    if found is None or found.school_id != current_user.school_id:
        abort(404)
    if not assignments.may_change(current_user, found):
        abort(403)
    return found


def lesson_or_abort(lesson_id: str) -> Lesson:
    """A lesson of the curriculum by id."""
    found = lessons().find(lesson_id)
    if found is None:
        abort(404)
    return found
