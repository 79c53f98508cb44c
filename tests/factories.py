"""Plain factory functions for test data: a school, classes and people."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from app.extensions import db
from app.models import Role, School, SchoolClass, User
from app.services.auth import hash_secret, picture_key

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def school(name: str | None = None, **fields) -> School:
    """A school."""
    row = School(name=name or f"School {next(_numbers)}", **fields)
    db.session.add(row)
    db.session.flush()
    return row


def school_class(in_school: School, name: str, year: int, **fields) -> SchoolClass:
    """A class in a year group."""
    row = SchoolClass(school=in_school, name=name, year=year, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def user(
    in_school: School,
    role: Role = Role.PUPIL,
    *,
    username: str | None = None,
    year: int | None = None,
    password: str | None = PASSWORD,
    pictures: list[str] | None = None,
    **fields,
) -> User:
    """A user who can sign in with PASSWORD (and pictures, if given)."""
    if role is Role.PUPIL and year is None:
        year = 4
    row = User(
        school=in_school,
        role=role,
        username=username or f"{role.value}{next(_numbers)}",
        display_name=fields.pop("display_name", (username or role.value).title()),
        year=year,
        password_hash=hash_secret(password) if password else None,
        picture_hash=hash_secret(picture_key(pictures)) if pictures else None,
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


# ---- Teaching: modules and assignments (teacher work) ----


def module(in_school: School, lesson_ids: list[str], title: str = "A module", **fields):
    """A module of lessons in order, belonging to a school."""
    from app.models.teaching import Module, ModuleLesson

    row = Module(
        school_id=in_school.id,
        title=title,
        lessons=[ModuleLesson(position=n, lesson_id=x) for n, x in enumerate(lesson_ids, 1)],
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def assignment(
    for_module, school_class: SchoolClass | None = None, year: int | None = None, **fields
):
    """A module set for a class (or, with year, a whole year group)."""
    from app.models.teaching import Assignment

    row = Assignment(
        school_id=for_module.school_id,
        module_id=for_module.id,
        class_id=school_class.id if school_class else None,
        year=year,
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def other_school() -> dict:
    """A second school with a class, its teacher and a pupil, a module and an assignment."""
    there = school("Another School")
    group = school_class(there, "4X", 4)
    teacher = user(there, Role.TEACHER)
    pupil = user(there, Role.PUPIL, year=4)
    group.teachers.append(teacher)
    group.pupils.append(pupil)
    made = module(there, ["ks2-grooming-1"], created_by_id=teacher.id)
    return {
        "school": there,
        "class": group,
        "teacher": teacher,
        "pupil": pupil,
        "module": made,
        "assignment": assignment(made, group),
    }


INSERT_ONLY_TABLES = (
    "acceptance",
    "photo_consent",
    "safeguarding_report",
    "safeguarding_report_pupil",
    "safeguarding_report_read",
    "safeguarding_incident",
    "safeguarding_entry",
    "safeguarding_sanction_option",
)
"""Evidence tables whose rows triggers keep insert-only (migrations 0009, 0013, 0017)."""

INSERT_ONLY_TRIGGERS = tuple(
    f"{table}_no_{action}" for table in INSERT_ONLY_TABLES for action in ("update", "delete")
)
"""The SQLite triggers that refuse changing or deleting evidence rows."""

POSTGRES_INSERT_ONLY_TRIGGERS = tuple(
    f"{table}_{what}" for table in INSERT_ONLY_TABLES for what in ("insert_only", "no_truncate")
)
"""The PostgreSQL triggers that refuse UPDATE, DELETE (per row) and TRUNCATE of evidence."""


def triggers() -> dict[str, str]:
    """Every trigger in the database now: its table, by its name (SQLite or PostgreSQL)."""
    if db.session.get_bind().dialect.name == "sqlite":
        found = sa.text("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
    else:
        found = sa.text(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
        )
    return {name: table for name, table in db.session.execute(found)}


def expected_insert_only_triggers() -> set[str]:
    """The insert-only triggers this database should have at head."""
    if db.session.get_bind().dialect.name == "sqlite":
        return set(INSERT_ONLY_TRIGGERS)
    return set(POSTGRES_INSERT_ONLY_TRIGGERS)


def incident(author: User, pupils: list[User], dsl: User, text: str = "Someone asked for a photo"):
    """A staff concern about pupils, opened as an incident by a DSL; (report, incident)."""
    from app.services import safeguarding

    report = safeguarding.log_concern(author, pupils, text, "Last night", "A game chat", None)
    db.session.flush()
    found = safeguarding.open_incident(report, dsl)
    safeguarding.add_entry(found, dsl, safeguarding.TOPIC, value="grooming")
    db.session.commit()
    return report, found


def worry(pupil: User, about: str = "someone_online", text: str | None = "They keep messaging me"):
    """A pupil's worry, sent and not yet read."""
    from app.services import safeguarding

    report = safeguarding.send_worry(pupil, about, text)
    db.session.commit()
    return report


def drop_insert_only_triggers() -> None:
    """Drop the insert-only triggers, as an attacker with full database access could.

    Tests only: for proving that `aup verify` catches rows changed past every guard.
    """
    postgres = db.session.get_bind().dialect.name == "postgresql"
    for name, table in triggers().items():
        if name in INSERT_ONLY_TRIGGERS or name in POSTGRES_INSERT_ONLY_TRIGGERS:
            on = f" ON {table}" if postgres else ""
            db.session.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}{on}"))


def taught(school_class: SchoolClass, lesson_id: str, taught_on=None):
    """A lesson recorded as taught to a class from the board (today unless told)."""
    from datetime import date

    from app.models.teaching import TaughtLesson

    row = TaughtLesson(
        school_id=school_class.school_id,
        class_id=school_class.id,
        lesson_id=lesson_id,
        lesson_version=1,
        taught_on=taught_on or date.today(),
    )
    db.session.add(row)
    db.session.commit()
    return row
