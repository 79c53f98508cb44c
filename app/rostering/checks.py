"""Checks and problem texts shared by the two formats."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from app.rostering.records import Roster

BLANK = _l("this must not be blank")
OTHER_SCHOOL_CLASS = _l("the class belongs to another school in the export")
CLASS_NAME_MAX = 40


def required(roster: Roster, file: str, number: int, row: dict, columns: tuple[str, ...]) -> bool:
    """Whether every column has a value; a problem for each blank one."""
    ok = True
    for column in columns:
        if not (row.get(column.lower()) or row.get(column)):
            roster.problem(file, number, column, BLANK)
            ok = False
    return ok


YEAR = re.compile(r"^(?:y|yr|year)?\s*0?(\d{1,2})$")
RECEPTION = frozenset({"r", "rec", "reception", "yr", "00", "0"})


def year_group(value: str) -> int | None:
    """Lantern's year (0 Reception to 13) from a roster's grade: 01-13, R or 00; None if unknown.

    Lantern's CSV is typed by hand, so "Year 4", "Y4" and "Reception" are read too.
    """
    text = value.strip().lower()
    if text in RECEPTION:
        return 0
    match = YEAR.match(text)
    if match and 1 <= int(match.group(1)) <= 13:
        return int(match.group(1))
    return None


def year(roster: Roster, file: str, number: int, column: str, value: str) -> int | None:
    """The year group a grade names, or None with a problem."""
    found = year_group(value)
    if found is None:
        roster.problem(
            file, number, column,
            _l("unknown year group %(value)r: use 01 to 13, or R or 00 for Reception", value=value),
        )  # fmt: skip
    return found


def duplicate(value: str) -> str:
    """The text for an id given twice."""
    return _l("%(id)s appears more than once", id=value)


def no_user(value: str) -> str:
    """The text for a link to a person the export does not have."""
    return _l("no person has the id %(id)s", id=value)


def no_class(value: str) -> str:
    """The text for a class the export does not have."""
    return _l("no class has the id %(id)s", id=value)


def missing_child(value: str) -> str:
    """The text for a parent linked to a pupil the export does not have."""
    return _l("the parent is linked to a pupil who is not in the export (%(id)s)", id=value)


def class_name(title: str, code: str, taken: set[str]) -> str:
    """A class's name, unique in the import: its title, then with its code or a number."""
    name = title[:CLASS_NAME_MAX]
    if name.lower() in taken and code:
        name = f"{title[: CLASS_NAME_MAX - len(code) - 3]} ({code})"
    number = 1
    base = name
    while name.lower() in taken:
        number += 1
        name = f"{base[: CLASS_NAME_MAX - 4]} ({number})"
    taken.add(name.lower())
    return name
