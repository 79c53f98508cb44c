"""Lantern's CSV template: one sheet, one row per class, pupil, member of staff or parent.

One file rather than four because an office manager fills it in Excel: one sheet to copy the
MIS's lists into, one "Save as CSV UTF-8", one upload, and nothing to zip. The `type` column
says what a row is; a class's id is its name ("4B"); a pupil's id is their UPN, a member of
staff's their staff code, a parent's any id the MIS gives them. Pupils and staff list their
classes, parents their children's UPNs, separated by semicolons. `username` may be left blank
(Lantern makes one); it is used only when the person is first imported and no one has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from app.models import Role
from app.rostering import checks
from app.rostering.files import RosterFiles
from app.rostering.records import Person, Roster, RosterClass

COLUMNS = ("type", "id", "first_name", "last_name", "year", "classes", "children", "username")
REQUIRED_COLUMNS = COLUMNS[:-1]
EXAMPLE = (
    ("class", "4B", "", "", "4", "", "", ""),
    ("pupil", "A123456789012", "Ben", "Carter", "4", "4B", "", ""),
    ("staff", "PPA", "Priya", "Patel", "", "4B", "", ""),
    ("parent", "C1001", "Jo", "Carter", "", "", "A123456789012", ""),
)
KINDS = {"pupil": Role.PUPIL, "staff": Role.TEACHER, "parent": Role.PARENT}
USERNAME = re.compile(r"^[a-z][a-z0-9.]{1,39}$")
FILE_NAME = "lantern-roster.csv"


def template() -> str:
    """The template to download: the header and an example row of each kind."""
    lines = [",".join(COLUMNS), *(",".join(row) for row in EXAMPLE)]
    return "\r\n".join(lines) + "\r\n"


def _list(value: str) -> list[str]:
    """Ids separated by semicolons (or commas)."""
    return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]


def read(files: RosterFiles, name: str, progress: Callable[[str], None]) -> Roster:
    """Read and check the whole file."""
    roster = Roster(format="lantern-csv")
    header = files.header(name)
    for column in REQUIRED_COLUMNS:
        if column not in header:
            roster.problem(name, 1, column, _l("the column is missing from the header row"))
    if roster.problems:
        return roster
    progress(name)
    rows: dict[str, int] = {}
    for number, row in files.rows(name, roster):
        kind = row.get("type", "").lower()
        before = len(roster.problems)
        if kind == "class":
            _class(roster, name, number, row)
        elif kind in KINDS:
            person = _person(roster, name, number, row, KINDS[kind])
            if person is not None:
                rows[person.roster_id] = number
        else:
            reason = (
                checks.BLANK
                if not kind
                else _l("unknown type %(value)r: use class, pupil, staff or parent", value=kind)
            )
            roster.problem(name, number, "type", reason)
        if len(roster.problems) > before:
            roster.rejected.add(row.get("id", ""))
    if roster.unreadable:
        return roster
    _check_links(roster, name, rows)
    return roster


def _class(roster: Roster, name: str, number: int, row: dict[str, str]) -> None:
    """A class row: its id is its name."""
    if not checks.required(roster, name, number, row, ("id", "year")):
        return
    class_id = row["id"]
    if class_id in roster.classes:
        roster.problem(name, number, "id", checks.duplicate(class_id))
        return
    if len(class_id) > checks.CLASS_NAME_MAX:
        roster.problem(
            name, number, "id",
            _l("a class's name is at most %(n)s characters", n=checks.CLASS_NAME_MAX),
        )  # fmt: skip
        return
    year = checks.year(roster, name, number, "year", row["year"])
    if year is not None:
        roster.classes[class_id] = RosterClass(class_id, class_id, year)


def _person(roster: Roster, name: str, number: int, row: dict[str, str], role: Role):
    """A pupil, staff or parent row, checked; None when it has a problem."""
    needed = ("id", "first_name", "last_name") + (("year",) if role is Role.PUPIL else ())
    if not checks.required(roster, name, number, row, needed):
        return None
    person_id = row["id"]
    if person_id in roster.people:
        roster.problem(name, number, "id", checks.duplicate(person_id))
        return None
    year = None
    if role is Role.PUPIL:
        year = checks.year(roster, name, number, "year", row["year"])
        if year is None:
            return None
    username = row.get("username", "").lower() or None
    if username is not None and not USERNAME.match(username):
        roster.problem(
            name, number, "username",
            _l("a username is 2 to 40 lower-case letters, digits or dots, starting with a letter"),
        )  # fmt: skip
        return None
    person = Person(
        person_id, role, row["first_name"][:60], row["last_name"][:60], year, username=username
    )
    if role is not Role.PARENT:
        person.classes = set(_list(row.get("classes", "")))
    else:
        person.children = set(_list(row.get("children", "")))
    roster.people[person_id] = person
    return person


def _check_links(roster: Roster, name: str, rows: dict[str, int]) -> None:
    """Every class named exists; every parent's child is a pupil in the file."""
    for person_id, person in roster.people.items():
        for class_id in sorted(person.classes - roster.classes.keys() - roster.rejected):
            roster.problem(name, rows[person_id], "classes", checks.no_class(class_id))
        for child in sorted(person.children):
            other = roster.people.get(child)
            if child in roster.rejected:
                continue
            if other is None or other.role is not Role.PUPIL:
                roster.problem(name, rows[person_id], "children", checks.missing_child(child))
