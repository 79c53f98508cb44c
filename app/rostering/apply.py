"""Comparing a checked roster with the school, and writing the difference in bulk.

People and classes are matched by roster id (OneRoster sourcedId; UPN, staff code or parent id
in Lantern's CSV). A person the school has with a roster id who is missing from the import has
left: inactive, `left_at` set, signed out, dropped from the school's roster classes, every other
record kept. A person who comes back is matched by the same id and is active again with their
history. Usernames are made once, when a person is first imported, and never changed; imported
people have no password until sign-in cards give them a temporary one, so nothing is hashed
here. Staff keep a coordinator or admin role given by hand. Classes made by hand are adopted
by name the first time the roster has a class of that name; a roster class missing from the
import is ended (kept with its history for last year's figures). People added by hand (no
roster id) are never marked as left, and keep the classes and parents given them; nor is an
admin, so an import can never lock the school out of its own admin pages. Only rows of
this school are read or written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import LoginSession, Role, SchoolClass, User, utcnow
from app.models.accounts import class_pupil, class_teacher, parent_child
from app.rostering.records import Person, Roster
from app.services.usernames import all_usernames, new_username

KEPT_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})
"""Roles given by hand that an import (which says only "teacher") leaves alone."""
SHOWN = 500
"""How many names each list of the preview shows (the counts are always whole)."""


@dataclass
class Change:
    """One existing person the import changes: what changes, and their new values."""

    user_id: int
    name: str
    what: list[str]
    values: dict


@dataclass
class Plan:
    """What an import would do to one school."""

    school_id: int
    roster: Roster
    added: list[Person] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    returning: list[str] = field(default_factory=list)
    left: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0
    classes_added: list[str] = field(default_factory=list)
    classes_changed: list[tuple[int, dict]] = field(default_factory=list)
    classes_ended: list[tuple[int, str]] = field(default_factory=list)
    classes_adopted: dict[str, int] = field(default_factory=dict)
    # existing state, in roster ids, for the membership sync
    user_ids: dict[str, int] = field(default_factory=dict)
    class_ids: dict[str, int] = field(default_factory=dict)
    class_roster: dict[int, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """The summary: how many people and classes each kind of change touches."""
        added = defaultdict(int)
        for person in self.added:
            added[person.role.value] += 1
        return {
            "added": len(self.added),
            "added_pupils": added["pupil"],
            "added_staff": added["teacher"],
            "added_parents": added["parent"],
            "updated": len(self.changed),
            "returning": len(self.returning),
            "left": len(self.left),
            "unchanged": self.unchanged,
            "classes_added": len(self.classes_added),
            "classes_updated": len(self.classes_changed),
            "classes_ended": len(self.classes_ended),
        }


def plan(school_id: int, roster: Roster) -> Plan:
    """Compare a checked roster (no problems) with what the school holds; changes nothing."""
    result = Plan(school_id, roster)
    _plan_classes(result)
    existing = _existing_people(school_id)
    memberships = _class_memberships(school_id)
    links = _parent_links(school_id)
    for roster_id, person in roster.people.items():
        row = existing.get(roster_id)
        if row is None:
            result.added.append(person)
            continue
        result.user_ids[roster_id] = row.id
        what, values = _differences(row, person)
        classes = {result.class_roster.get(c) for c in memberships.get(row.id, ())}
        classes &= roster.classes.keys()
        if person.role is not Role.PARENT and classes != person.classes:
            what.append("classes")
        if person.role is Role.PARENT and links.get(row.id, set()) != person.children:
            what.append("children")
        if not row.active:
            values.update(active=True, left_at=None)
            what.append("returning")
            result.returning.append(person.display_name)
        if what:
            result.changed.append(Change(row.id, person.display_name, what, values))
        else:
            result.unchanged += 1
    for roster_id, row in existing.items():
        if row.active and roster_id not in roster.people and Role(row.role) is not Role.ADMIN:
            result.left.append((row.id, row.display_name))
    return result


def _plan_classes(result: Plan) -> None:
    """Classes to add, rename or move year, and to end; hand-made ones adopted by name."""
    rows = db.session.execute(
        sa.select(SchoolClass.id, SchoolClass.roster_id, SchoolClass.name, SchoolClass.year,
                  SchoolClass.ended_at).where(SchoolClass.school_id == result.school_id)
    ).all()  # fmt: skip
    by_roster = {row.roster_id: row for row in rows if row.roster_id is not None}
    hand_made = {row.name.lower(): row for row in rows if row.roster_id is None}
    result.class_roster = {row.id: row.roster_id for row in rows if row.roster_id}
    for roster_id, cls in result.roster.classes.items():
        row = by_roster.get(roster_id)
        if row is None and cls.name.lower() in hand_made:
            row = hand_made.pop(cls.name.lower())
            result.classes_adopted[roster_id] = row.id
            result.class_roster[row.id] = roster_id
        if row is None:
            result.classes_added.append(roster_id)
            continue
        result.class_ids[roster_id] = row.id
        values = {}
        if row.name != cls.name:
            values["name"] = cls.name
        if row.year != cls.year:
            values["year"] = cls.year
        if row.ended_at is not None:
            values["ended_at"] = None
        if values or roster_id in result.classes_adopted:
            result.classes_changed.append((row.id, values))
    for roster_id, row in by_roster.items():
        if roster_id not in result.roster.classes and row.ended_at is None:
            result.classes_ended.append((row.id, row.name))


def _existing_people(school_id: int) -> dict[str, sa.Row]:
    """The school's people who came from a roster, by roster id."""
    return {
        row.roster_id: row
        for row in db.session.execute(
            sa.select(User.id, User.roster_id, User.role, User.display_name, User.year,
                      User.active).where(User.school_id == school_id, User.roster_id.is_not(None))
        )
    }  # fmt: skip


def _differences(row: sa.Row, person: Person) -> tuple[list[str], dict]:
    """What the roster changes in one person's name, year and role."""
    what, values = [], {}
    if row.display_name != person.display_name:
        what.append("name")
        values["display_name"] = person.display_name
    if row.year != person.year:
        what.append("year")
        values["year"] = person.year
    role = Role(row.role)
    if role != person.role and not (role in KEPT_ROLES and person.role is Role.TEACHER):
        what.append("role")
        values["role"] = person.role
    return what, values


def _class_memberships(school_id: int) -> dict[int, set[int]]:
    """Each person's classes in the school, as pupil or teacher."""
    found: dict[int, set[int]] = defaultdict(set)
    for table, column in ((class_pupil, class_pupil.c.pupil_id),
                          (class_teacher, class_teacher.c.teacher_id)):  # fmt: skip
        rows = db.session.execute(
            sa.select(table.c.class_id, column)
            .join(SchoolClass, SchoolClass.id == table.c.class_id)
            .where(SchoolClass.school_id == school_id)
        )
        for class_id, user_id in rows:
            found[user_id].add(class_id)
    return found


def _parent_links(school_id: int) -> dict[int, set[str]]:
    """Each parent's children in the school, by the child's roster id."""
    child = sa.orm.aliased(User)
    rows = db.session.execute(
        sa.select(parent_child.c.parent_id, child.roster_id)
        .join(child, child.id == parent_child.c.child_id)
        .where(child.school_id == school_id, child.roster_id.is_not(None))
    )
    found: dict[int, set[str]] = defaultdict(set)
    for parent_id, roster_id in rows:
        found[parent_id].add(roster_id)
    return found


def apply_plan(result: Plan, now: datetime | None = None) -> None:
    """Write the plan in bulk (the caller holds the write lock and commits)."""
    now = now or utcnow()
    _apply_classes(result, now)
    _apply_people(result, now)
    _sync_memberships(result)
    db.session.flush()


def _apply_classes(result: Plan, now: datetime) -> None:
    """End, rename, adopt and add classes; a name still held by a class not in the import is
    freed by adding that class's number to it."""
    school_id, roster = result.school_id, result.roster
    if result.classes_ended:
        db.session.execute(
            sa.update(SchoolClass), [{"id": i, "ended_at": now} for i, _ in result.classes_ended]
        )
    kept = set(result.class_ids.values())
    wanted = {cls.name.lower() for cls in roster.classes.values()}
    holders = db.session.execute(
        sa.select(SchoolClass.id, SchoolClass.name).where(SchoolClass.school_id == school_id)
    ).all()
    freed = [{"id": i, "name": f"{name[:30]} #{i}"} for i, name in holders
             if i not in kept and name.lower() in wanted]  # fmt: skip
    renamed = [(i, values) for i, values in result.classes_changed if "name" in values]
    temporary = freed + [{"id": i, "name": f"~{i}"} for i, _ in renamed]
    if temporary:
        db.session.execute(sa.update(SchoolClass), temporary)
    updates = [{"id": i, **values} for i, values in result.classes_changed if values]
    for roster_id, class_id in result.classes_adopted.items():
        updates.append({"id": class_id, "roster_id": roster_id})
    if updates:
        for update in updates:
            db.session.execute(sa.update(SchoolClass), [update])
    if result.classes_added:
        db.session.execute(
            sa.insert(SchoolClass),
            [{"school_id": school_id, "roster_id": r, "name": roster.classes[r].name,
              "year": roster.classes[r].year} for r in result.classes_added],
        )  # fmt: skip
    result.class_ids = dict(
        db.session.execute(
            sa.select(SchoolClass.roster_id, SchoolClass.id).where(
                SchoolClass.school_id == school_id, SchoolClass.roster_id.is_not(None)
            )
        ).all()
    )


def _apply_people(result: Plan, now: datetime) -> None:
    """Add new people (usernames made once), update changed ones, mark leavers as left."""
    if result.added:
        taken = all_usernames()
        rows = []
        for person in result.added:
            username = person.username
            if username is None or username in taken:
                username = new_username(person.given, person.family, person.role, taken)
            taken.add(username)
            rows.append({
                "school_id": result.school_id, "roster_id": person.roster_id,
                "role": person.role, "username": username, "display_name": person.display_name,
                "year": person.year, "password_hash": None, "must_change_password": True,
                "active": True, "created_at": now,
            })  # fmt: skip
        db.session.execute(sa.insert(User), rows)
    changes = [{"id": c.user_id, **c.values} for c in result.changed if c.values]
    if changes:
        db.session.execute(sa.update(User), changes)
    if result.left:
        leavers = [i for i, _ in result.left]
        db.session.execute(
            sa.update(User), [{"id": i, "active": False, "left_at": now} for i in leavers]
        )
        for start in range(0, len(leavers), 500):
            db.session.execute(
                sa.update(LoginSession)
                .where(LoginSession.user_id.in_(leavers[start : start + 500]),
                       LoginSession.ended_at.is_(None))
                .values(ended_at=now, end_reason="left_school")
            )  # fmt: skip
    result.user_ids = dict(
        db.session.execute(
            sa.select(User.roster_id, User.id).where(
                User.school_id == result.school_id, User.roster_id.is_not(None)
            )
        ).all()
    )


def _sync_memberships(result: Plan) -> None:
    """Make the roster classes' pupils and teachers, and parents' children, what the roster says.

    Only the roster's own people are moved: a pupil added to a roster class by hand stays in it.
    """
    roster, users, classes = result.roster, result.user_ids, result.class_ids
    pupils, teachers, children = set(), set(), set()
    for roster_id, person in roster.people.items():
        user_id = users[roster_id]
        pairs = {(classes[c], user_id) for c in person.classes}
        (pupils if person.role is Role.PUPIL else teachers).update(pairs)
        children.update((user_id, users[child]) for child in person.children)
    managed = {classes[r] for r in roster.classes}
    rostered = set(users.values())  # people added by hand keep the classes and links given them
    school_id = result.school_id
    for table, column, wanted in ((class_pupil, "pupil_id", pupils),
                                  (class_teacher, "teacher_id", teachers)):  # fmt: skip
        have = db.session.execute(
            sa.select(table.c.class_id, table.c[column])
            .join(SchoolClass, SchoolClass.id == table.c.class_id)
            .where(SchoolClass.school_id == school_id)
        ).all()
        have = {(a, b) for a, b in have if a in managed and b in rostered}
        _sync(table, "class_id", column, wanted, have)
    parents = {users[r] for r, p in roster.people.items() if p.role is Role.PARENT}
    child = sa.orm.aliased(User)
    have = db.session.execute(
        sa.select(parent_child.c.parent_id, parent_child.c.child_id)
        .join(child, child.id == parent_child.c.child_id)
        .where(child.school_id == school_id)
    ).all()
    have = {(a, b) for a, b in have if a in parents and b in rostered}
    _sync(parent_child, "parent_id", "child_id", children, have)


def _sync(table: sa.Table, left: str, right: str, wanted: set, have: set) -> None:
    """Rows of an association table made the wanted pairs, from the pairs it has in scope."""
    gone = have - wanted
    if gone:
        db.session.execute(
            table.delete().where(
                table.c[left] == sa.bindparam("a"), table.c[right] == sa.bindparam("b")
            ),
            [{"a": a, "b": b} for a, b in gone],
        )
    new = wanted - have
    if new:
        db.session.execute(table.insert(), [{left: a, right: b} for a, b in new])
