"""Modules and assignments: who may build, set, change and see them, and what pupils are set."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.content.library import Library
from app.content.schema import Lesson
from app.content.strands import band, band_for_year
from app.content.topics import pupil_topic_label, topic
from app.extensions import db
from app.models import Role, SchoolClass, User, class_pupil, utcnow
from app.models.teaching import Assignment, Module, ModuleLesson, TaughtLesson
from app.models.years import year_label
from app.services import roster, school_access
from app.services.curriculum import Preset

MESSAGE_MAX = 500
SENIOR = (Role.COORDINATOR, Role.ADMIN)


class AssignmentError(ValueError):
    """An assignment that cannot be made or changed as asked; the message says why."""

    def __init__(self, field: str, message):
        super().__init__(message)
        self.field = field
        self.message = message


# ---- Modules ---------------------------------------------------------------------------------


def may_see_module(user: User, module: Module) -> bool:
    """Modules belong to the school: any member of its staff may see and assign them."""
    return user.is_staff and module.school_id == user.school_id


def may_edit_module(user: User, module: Module) -> bool:
    """A teacher edits the modules they built; coordinators and admins any built in the school."""
    if not may_see_module(user, module) or module.preset is not None:
        return False
    return user.role in SENIOR or module.created_by_id == user.id


def school_modules(user: User) -> list[Module]:
    """Modules the school's teachers built, newest first, with their lessons."""
    return list(
        db.session.scalars(
            sa.select(Module)
            .where(Module.school_id == user.school_id, Module.preset.is_(None))
            .options(selectinload(Module.lessons))
            .order_by(Module.created_at.desc(), Module.id.desc())
        )
    )


def preset_title(preset: Preset) -> str:
    """The title a ready-made module is saved with: its year group (or band) and topic."""
    stage = year_label(preset.year) if preset.year is not None else band(preset.band).label
    return str(_l("%(band)s: %(topic)s", band=stage, topic=topic(preset.topic).label))


def preset_title_for_pupil(preset_key: str, year: int | None) -> str | None:
    """A ready-made module's title as a pupil of this year sees it, or None for an unknown key.

    Primary pupils see the topic framed as their lessons frame it: a Year 4 pupil's set work
    reads "Key Stage 2: My body and private pictures", never "Sharing nudes and semi-nudes".
    """
    stage_id, _sep, topic_id = preset_key.partition("/")
    try:
        if stage_id.startswith("y") and stage_id[1:].isdigit():
            named = year_label(int(stage_id[1:])), pupil_topic_label(topic_id, year)
        else:
            named = band(stage_id).label, pupil_topic_label(topic_id, year)
    except (KeyError, ValueError):
        return None
    return str(_l("%(band)s: %(topic)s", band=named[0], topic=named[1]))


def module_for_preset(user: User, preset: Preset) -> Module:
    """The school's row for a ready-made module, saved the first time it is needed."""
    row = db.session.scalar(
        sa.select(Module).where(Module.school_id == user.school_id, Module.preset == preset.key)
    )
    if row is None:
        row = Module(
            school_id=user.school_id, preset=preset.key, title=preset_title(preset),
            created_by_id=user.id, lessons=_positions(preset.lesson_ids),
        )  # fmt: skip
        db.session.add(row)
        db.session.flush()
    return row


def _positions(lesson_ids) -> list[ModuleLesson]:
    """Module rows for lessons in the order given."""
    return [ModuleLesson(position=n, lesson_id=lid) for n, lid in enumerate(lesson_ids, start=1)]


def save_module(
    user: User, title: str, lesson_ids: list[str], library: Library, module: Module | None = None
) -> Module:
    """Create a teacher's own module, or replace an existing one's title and lessons in order."""
    title = title.strip()
    if not title:
        raise AssignmentError("title", _l("Give the module a title."))
    ids = list(dict.fromkeys(lesson_ids))
    if not ids:
        raise AssignmentError("lessons", _l("Choose at least one lesson."))
    unknown = [lid for lid in ids if library.find(lid) is None]
    if unknown:
        raise AssignmentError("lessons", _l("That lesson is not in the curriculum."))
    if module is None:
        module = Module(school_id=user.school_id, created_by_id=user.id)
        db.session.add(module)
    module.title = title[:200]
    module.lessons.clear()
    db.session.flush()  # the old positions go before the new ones arrive
    module.lessons.extend(_positions(ids))
    db.session.commit()
    return module


# ---- Assigning -------------------------------------------------------------------------------


def year_choices(user: User) -> list[int]:
    """Year groups this member of staff may assign to: those they teach; any for senior roles."""
    return sorted({c.year for c in roster.visible_classes(user)})


def may_assign_year(user: User, year: int) -> bool:
    """Teachers assign to a whole year group only if they teach a class in it."""
    return year in year_choices(user)


def _check(due_on: date | None, message: str | None, today: date) -> str | None:
    """The cleaned message, or AssignmentError for a due date in the past or a long message."""
    if due_on is not None and due_on < today:
        raise AssignmentError("due_on", _l("The due date cannot be in the past."))
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise AssignmentError(
            "message", _l("Keep the message to %(n)s characters or fewer.", n=MESSAGE_MAX)
        )
    return message or None


def assign(
    user: User,
    module: Module,
    *,
    school_class: SchoolClass | None = None,
    year: int | None = None,
    due_on: date | None = None,
    message: str | None = None,
    today: date,
    library: Library,
) -> Assignment:
    """Set a module for a class or a year group; a duplicate still active is refused clearly.

    A module with a teacher-led lesson is refused until that lesson has been taught to the class
    (to every class of a year group): pupils meet those lessons with their teacher first.
    """
    if (school_class is None) == (year is None):
        raise AssignmentError("target", _l("Choose one class or one year group."))
    if school_class is not None and not school_access.may_see_class(user, school_class):
        raise AssignmentError("target", _l("You can only set work for your own classes."))
    if year is not None and not may_assign_year(user, year):
        raise AssignmentError("target", _l("You can only set work for year groups you teach."))
    text = _check(due_on, message, today)
    classes = [school_class] if school_class is not None else year_classes(user.school_id, year)
    waiting = untaught(module.lesson_ids, classes, library)
    if waiting:
        raise AssignmentError("target", teach_first_message(waiting))
    target = (
        Assignment.class_id == school_class.id
        if school_class is not None
        else Assignment.year == year
    )
    duplicate = db.session.scalar(
        sa.select(Assignment.id).where(
            Assignment.school_id == user.school_id,
            Assignment.module_id == module.id,
            Assignment.withdrawn_at.is_(None),
            target,
        )  # fmt: skip
    )
    if duplicate is not None:
        raise AssignmentError("target", _l("This module is already set for them."))
    row = Assignment(
        school_id=user.school_id, module_id=module.id, set_by_id=user.id, due_on=due_on,
        class_id=school_class.id if school_class else None, year=year, message=text,
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


def year_classes(school_id: int, year: int | None) -> list[SchoolClass]:
    """The school's current classes in one year group."""
    return list(
        db.session.scalars(
            sa.select(SchoolClass).where(
                SchoolClass.school_id == school_id,
                SchoolClass.year == year,
                SchoolClass.ended_at.is_(None),
            )
        )
    )


def untaught(
    lesson_ids: Iterable[str], classes: list[SchoolClass], library: Library
) -> list[Lesson]:
    """The teacher-led lessons among lesson_ids not yet taught to every one of the classes."""
    led = [x for x in map(library.find, dict.fromkeys(lesson_ids)) if x and x.teacher_led]
    if not led:
        return []
    taught = {
        (lesson_id, class_id)
        for lesson_id, class_id in db.session.execute(
            sa.select(TaughtLesson.lesson_id, TaughtLesson.class_id).where(
                TaughtLesson.class_id.in_([c.id for c in classes]),
                TaughtLesson.lesson_id.in_([x.id for x in led]),
            )
        )
    }
    return [x for x in led if any((x.id, c.id) not in taught for c in classes) or not classes]


def teach_first_message(waiting: list[Lesson]):
    """Why a module cannot be set yet: its teacher-led lessons, named, are to be taught first."""
    return _l(
        "Teach %(lessons)s to the class first: it is a teacher-led lesson. Present it from the "
        "board and mark it as taught, then set this module as independent work.",
        lessons=", ".join(f"\u201c{x.title}\u201d" for x in waiting),
    )


def may_change(user: User, assignment: Assignment) -> bool:
    """Whoever may assign to the assignment's class or year group may change or withdraw it."""
    if assignment.school_id != user.school_id or not user.is_staff:
        return False
    if assignment.class_id is not None:
        return school_access.may_see_class(user, assignment.school_class)
    return may_assign_year(user, assignment.year)


def change(assignment: Assignment, due_on: date | None, message: str | None, today: date) -> None:
    """Change the due date and message (a due date already set may stay as it is)."""
    keeps_old_date = due_on is not None and due_on == assignment.due_on
    text = _check(None if keeps_old_date else due_on, message, today)
    assignment.due_on, assignment.message = due_on, text
    db.session.commit()


def withdraw(assignment: Assignment) -> None:
    """Withdraw an assignment; the row stays so what was set remains on record."""
    assignment.withdrawn_at = assignment.withdrawn_at or utcnow()
    db.session.commit()


def for_class(school_class: SchoolClass) -> list[Assignment]:
    """Active assignments a class's pupils have: the class's own and its year group's."""
    return list(
        db.session.scalars(
            sa.select(Assignment)
            .where(
                Assignment.school_id == school_class.school_id,
                Assignment.withdrawn_at.is_(None),
                sa.or_(
                    Assignment.class_id == school_class.id, Assignment.year == school_class.year
                ),
            )
            .options(selectinload(Assignment.module).selectinload(Module.lessons))
            .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.id)
        )
    )


def band_notes(module: Module, year: int, library: Library) -> list[tuple[str, str]]:
    """(lesson title, band) for each of the module's lessons outside the year group's band."""
    own = band_for_year(year)
    notes = []
    for lesson_id in module.lesson_ids:
        lesson = library.find(lesson_id)
        if lesson is not None and lesson.band != own:  # a removed lesson has no band to note
            notes.append((lesson.title, lesson.band))
    return notes


def taught_in_class(school_class: SchoolClass) -> list[TaughtLesson]:
    """Lessons taught to the class from the board, newest first."""
    return list(
        db.session.scalars(
            sa.select(TaughtLesson)
            .where(TaughtLesson.class_id == school_class.id)
            .order_by(TaughtLesson.taught_on.desc(), TaughtLesson.id.desc())
        )
    )


# ---- What a pupil is set ---------------------------------------------------------------------


@dataclass(frozen=True)
class SetModule:
    """A module set for a pupil, as their home page shows it."""

    assignment_id: int
    title: str
    due_on: date | None
    message: str | None
    lesson_ids: tuple[str, ...]


def _pupil_class_ids(pupil: User) -> sa.Select:
    """SQL: the ids of the pupil's classes."""
    return sa.select(class_pupil.c.class_id).where(class_pupil.c.pupil_id == pupil.id)


def _for_pupil(pupil: User) -> sa.ColumnElement[bool]:
    """SQL: an active assignment for one of the pupil's classes or for their year group."""
    year_group = (
        sa.and_(Assignment.year == pupil.year, Assignment.school_id == pupil.school_id)
        if pupil.year is not None
        else sa.false()
    )
    return sa.and_(
        Assignment.withdrawn_at.is_(None),
        sa.or_(Assignment.class_id.in_(_pupil_class_ids(pupil)), year_group),
    )


def pupil_plan(pupil: User) -> tuple[list[SetModule], dict[str, date]]:
    """The modules set for a pupil and when each lesson was taught to their class, in ONE query.

    The pupil home page is the busiest page, so both lists come back from one UNION ALL.
    """
    assigned = (
        sa.select(
            sa.literal("set").label("kind"),
            Assignment.id,
            Module.title,
            Module.preset,
            ModuleLesson.lesson_id,
            ModuleLesson.position,
            Assignment.due_on.label("day"),
            Assignment.message,
        )  # fmt: skip
        .join(Module, Module.id == Assignment.module_id)
        .join(ModuleLesson, ModuleLesson.module_id == Module.id)
        .where(_for_pupil(pupil))
    )
    taught = sa.select(
        sa.literal("taught"), sa.null(), sa.null(), sa.null(), TaughtLesson.lesson_id,
        sa.null(), TaughtLesson.taught_on, sa.null(),
    ).where(TaughtLesson.class_id.in_(_pupil_class_ids(pupil)))  # fmt: skip
    modules: dict[int, dict] = {}
    taught_on: dict[str, date] = {}
    for kind, aid, title, preset, lesson_id, position, day, message in db.session.execute(
        sa.union_all(assigned, taught)
    ):
        if kind == "taught":
            taught_on[lesson_id] = max(day, taught_on.get(lesson_id, day))
            continue
        if preset:  # a ready-made module: named in the pupil's words and language
            title = preset_title_for_pupil(preset, pupil.year) or title
        entry = modules.setdefault(aid, {"title": title, "due": day, "msg": message, "ids": []})
        entry["ids"].append((position, lesson_id))
    plan = [
        SetModule(aid, e["title"], e["due"], e["msg"], tuple(lid for _, lid in sorted(e["ids"])))
        for aid, e in modules.items()
    ]
    plan.sort(key=lambda m: (m.due_on is None, m.due_on or date.min, m.assignment_id))
    return plan, taught_on


def is_set_for(pupil: User, lesson_id: str) -> bool:
    """Whether a lesson is in a module currently set for the pupil."""
    return bool(
        db.session.scalar(
            sa.select(sa.literal(True))
            .select_from(Assignment)
            .join(ModuleLesson, ModuleLesson.module_id == Assignment.module_id)
            .where(_for_pupil(pupil), ModuleLesson.lesson_id == lesson_id)
            .limit(1)
        )
    )


def taught_to(pupil: User, lesson_id: str) -> bool:
    """Whether a lesson has been taught from the board to one of the pupil's classes."""
    return bool(
        db.session.scalar(
            sa.select(sa.literal(True))
            .where(
                TaughtLesson.class_id.in_(_pupil_class_ids(pupil)),
                TaughtLesson.lesson_id == lesson_id,
            )
            .limit(1)
        )
    )


def active_counts(school_id: int, classes: list[SchoolClass]) -> dict[int, int]:
    """How many modules each class has set (its own and its year group's), in one query."""
    rows = db.session.execute(
        sa.select(Assignment.class_id, Assignment.year).where(
            Assignment.school_id == school_id, Assignment.withdrawn_at.is_(None)
        )
    ).all()
    return {
        c.id: sum(1 for class_id, year in rows if class_id == c.id or year == c.year)
        for c in classes
    }
