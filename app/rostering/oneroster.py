"""OneRoster 1.1 and 1.2 CSV bulk exports, as Wonde, Groupcall Xporter and School Data Sync write.

One school is read from the export (a trust's export holds many): its org is the one whose
`identifier` is the school's URN. Its classes are those with that `schoolSourcedId`; its people
are the users in that org (1.1: `orgSourcedIds`; 1.2: rows of roles.csv), with parents and
guardians joined to children by `agentSourcedIds` (on either side). Roles: student is a pupil;
teacher, aide and the administrators are staff (imported as teachers: Lantern's admin and
coordinator roles are given by hand, never by a feed); parent, guardian and relative are parents;
anyone else (proctor, a district's staff) is not imported. Users whose `status` is tobedeleted,
or whose `enabledUser` is false, are not in the import, so a sync marks them as left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

from flask_babel import lazy_gettext as _l

from app.models import Role
from app.rostering import checks
from app.rostering.files import Keep, RosterFiles, column
from app.rostering.records import Person, Roster, RosterClass

FILES = frozenset({
    "manifest.csv", "orgs.csv", "academicsessions.csv", "classes.csv", "courses.csv",
    "users.csv", "enrollments.csv", "roles.csv", "demographics.csv",
})  # fmt: skip
NEEDED = ("manifest.csv", "orgs.csv", "classes.csv", "users.csv", "enrollments.csv")
ROLES = {
    "student": Role.PUPIL,
    "teacher": Role.TEACHER,
    "aide": Role.TEACHER,
    "administrator": Role.TEACHER,
    "siteadministrator": Role.TEACHER,
    "principal": Role.TEACHER,
    "parent": Role.PARENT,
    "guardian": Role.PARENT,
    "relative": Role.PARENT,
}
STAFF_ENROLMENT_ROLES = frozenset({"teacher", "aide", "administrator"})


def _ids(value: str) -> list[str]:
    """A OneRoster list field ("a,b,c") as its ids."""
    return [part.strip() for part in value.split(",") if part.strip()]


def _gone(row: dict[str, str]) -> bool:
    """Whether a row is marked for deletion (or a user disabled), so it is not in the import."""
    return row.get("status", "").lower() == "tobedeleted" or (
        row.get("enableduser", "").lower() == "false"
    )


def read(files: RosterFiles, urn: str, progress: Callable[[str], None]) -> Roster:
    """Read one school's people and classes from a OneRoster export."""
    roster = Roster(format="oneroster-1.1")
    names = files.names()
    for name in NEEDED:
        if name not in names:
            roster.problem(name, None, "", _l("the file is missing from the export"))
    if roster.problems:
        return roster
    progress("manifest.csv")
    _manifest(files, roster)
    if roster.format == "oneroster-1.2" and "roles.csv" not in names:
        roster.problem("roles.csv", None, "", _l("the file is missing from the export"))
    if roster.problems:
        return roster
    progress("orgs.csv")
    org = _school_org(files, urn, roster)
    if org is None:
        return roster
    reader = _Reader(files, roster, org)
    reader.read_all(progress)
    return roster


def _manifest(files: RosterFiles, roster: Roster) -> None:
    """Check the version and that every file is a bulk one (deltas are not read)."""
    version = None
    for number, row in files.rows("manifest.csv", roster):
        key, value = row.get("propertyname", ""), row.get("value", "")
        if key.lower() == "oneroster.version":
            version = value
        elif key.lower().startswith("file.") and value.lower() == "delta":
            roster.problem(
                "manifest.csv", number, "value",
                _l("%(file)s is a delta: Lantern reads bulk exports only", file=key[5:]),
            )  # fmt: skip
    if version in ("1.0", "1.1"):
        roster.format = "oneroster-1.1"
    elif version == "1.2":
        roster.format = "oneroster-1.2"
    else:
        roster.problem(
            "manifest.csv", None, "oneroster.version",
            _l("OneRoster version %(v)s is not one Lantern reads (1.1 or 1.2)", v=version or "-"),
        )  # fmt: skip


def _school_org(files: RosterFiles, urn: str, roster: Roster) -> str | None:
    """The sourcedId of the org whose identifier is the school's URN."""
    for _number, row in files.rows("orgs.csv", roster):
        if row.get("identifier", "") == urn and urn and not _gone(row):
            return row.get("sourcedid") or None
    roster.problem(
        "orgs.csv", None, "identifier",
        _l("no school in the export has the identifier %(urn)s (this school's URN)", urn=urn),
    )  # fmt: skip
    return None


class _Reader:
    """Reads classes, roles, users and enrollments for one org, in that order."""

    def __init__(self, files: RosterFiles, roster: Roster, org: str) -> None:
        self.files, self.roster, self.org = files, roster, org
        self.other_classes: set[str] = set()
        self.seen_users: set[str] = set()  # every user in the export (any school)
        self.role_of: dict[str, str] = {}  # 1.2: this org's users and their role
        self.rows: dict[str, int] = {}  # a person's row in users.csv
        self.agents: dict[str, list[str]] = {}  # user -> agentSourcedIds
        self.class_years: dict[str, Counter] = {}
        self.not_parents: set[str] = set()  # users seen whose role Lantern does not import

    def read_all(self, progress: Callable[[str], None]) -> None:
        """Read every file the import needs, then join parents to children.

        A file that cannot be read to its end stops the reading: what follows would only echo it.
        """
        progress("classes.csv")
        self._classes()
        if self.roster.format == "oneroster-1.2" and not self.roster.unreadable:
            progress("roles.csv")
            self._roles(None)
        if self.roster.unreadable:
            return
        progress("users.csv")
        self._users(None)
        if self.roster.unreadable:
            return
        missing = {a for ids in self.agents.values() for a in ids} - self.roster.people.keys()
        missing -= self.not_parents
        if missing and self.roster.format == "oneroster-1.2":
            self._roles(missing)
        if missing:
            self._users(missing)  # parents of this school's pupils filed under another org
        progress("enrollments.csv")
        self._enrollments()
        if self.roster.unreadable:
            return
        self._links()
        self._class_years()

    def _classes(self) -> None:
        """This school's classes; other schools' class ids are remembered to name mistakes."""
        roster, taken = self.roster, set()
        for number, row in self.files.rows("classes.csv", roster):
            sourced_id = row.get("sourcedid", "")
            if row.get("schoolsourcedid", "") != self.org:
                self.other_classes.add(sourced_id)
                continue
            if _gone(row):
                continue
            if not checks.required(roster, "classes.csv", number, row, ("sourcedId", "title")):
                continue
            if sourced_id in roster.classes:
                roster.problem("classes.csv", number, "sourcedId", checks.duplicate(sourced_id))
                continue
            year = None
            grades = _ids(row.get("grades", ""))
            if grades:
                year = checks.year(roster, "classes.csv", number, "grades", grades[0])
                if year is None:
                    continue
            name = checks.class_name(row["title"], row.get("classcode", ""), taken)
            roster.classes[sourced_id] = RosterClass(sourced_id, name, year)

    def _roles(self, only: set[str] | None) -> None:
        """1.2: each user's role in this org (or, given only, those users' role anywhere)."""
        if only is not None:
            keep = partial(column, name="usersourcedid", test=only.__contains__)
        else:
            keep = partial(column, name="orgsourcedid", test=self.org.__eq__)
        for _number, row in self.files.rows("roles.csv", self.roster, keep):
            user = row.get("usersourcedid", "")
            if _gone(row) or (only is None and row.get("orgsourcedid") != self.org):
                continue
            if only is not None and user not in only:
                continue
            if user not in self.role_of or row.get("roletype", "").lower() == "primary":
                self.role_of[user] = row.get("role", "")

    def _users(self, only: set[str] | None) -> None:
        """This org's users (or, given only, those users wherever they are filed)."""
        roster, v12 = self.roster, self.roster.format == "oneroster-1.2"
        for number, row in self.files.rows("users.csv", roster, self._users_kept(only)):
            sourced_id = row.get("sourcedid", "")
            if _gone(row):
                continue
            if only is not None:
                if sourced_id not in only:
                    continue
                role_name = self.role_of.get(sourced_id, "") if v12 else row.get("role", "")
                if ROLES.get(role_name.lower()) is not Role.PARENT:
                    continue
            elif v12:
                if sourced_id not in self.role_of:
                    continue
                role_name = self.role_of[sourced_id]
            else:
                if self.org not in _ids(row.get("orgsourcedids", "")):
                    continue
                role_name = row.get("role", "")
            role = ROLES.get(role_name.lower())
            if role is None:
                self.not_parents.add(sourced_id)
                continue
            self._person(number, row, role)

    def _users_kept(self, only: set[str] | None) -> Keep:
        """Which users.csv rows to read: every id is noted as seen, only this school's are read."""
        if only is not None:
            return partial(column, name="sourcedid", test=only.__contains__)
        seen = self.seen_users
        if self.roster.format == "oneroster-1.2":
            role_of = self.role_of

            def ours(sourced_id: str) -> bool:
                """Note the id; read the row if the user has a role in this school."""
                seen.add(sourced_id)
                return sourced_id in role_of

            return partial(column, name="sourcedid", test=ours)
        return partial(self._in_org_v11, seen)

    def _in_org_v11(self, seen: set[str], header: list[str]):
        """1.1: note every user's id; read the row if orgSourcedIds names this school."""
        if "sourcedid" not in header or "orgsourcedids" not in header:
            return lambda _values: True
        sid, orgs, org = header.index("sourcedid"), header.index("orgsourcedids"), self.org
        width = max(sid, orgs)

        def ours(values: list[str]) -> bool:
            """Whether the row is this school's user (a short row is read, to be named)."""
            if len(values) <= width:
                return True
            seen.add(values[sid].strip())
            return org in values[orgs]

        return ours

    def _person(self, number: int, row: dict[str, str], role: Role) -> None:
        """One user of the school, checked."""
        roster = self.roster
        if not checks.required(roster, "users.csv", number, row, ("sourcedId",)):
            return
        sourced_id = row["sourcedid"]
        if sourced_id in roster.people:
            roster.problem("users.csv", number, "sourcedId", checks.duplicate(sourced_id))
            return
        given = row.get("preferredgivenname") or row.get("givenname", "")
        family = row.get("preferredfamilyname") or row.get("familyname", "")
        if not checks.required(
            roster, "users.csv", number, {"givenName": given, "familyName": family},
            ("givenName", "familyName"),
        ):  # fmt: skip
            return
        year = None
        if role is Role.PUPIL:
            grades = _ids(row.get("grades", ""))
            if not grades:
                roster.problem("users.csv", number, "grades", checks.BLANK)
                return
            year = checks.year(roster, "users.csv", number, "grades", grades[0])
            if year is None:
                return
        roster.people[sourced_id] = Person(sourced_id, role, given, family, year)
        self.rows[sourced_id] = number
        agents = _ids(row.get("agentsourcedids", ""))
        if agents:
            self.agents[sourced_id] = agents

    def _enrollments(self) -> None:
        """Pupils and staff into this school's classes."""
        roster = self.roster
        for number, row in self.files.rows("enrollments.csv", roster, self._enrolments_kept):
            user, cls = row.get("usersourcedid", ""), row.get("classsourcedid", "")
            person = roster.people.get(user)
            if _gone(row):
                continue
            if person is None:
                if cls in roster.classes and user not in self.seen_users:
                    roster.problem("enrollments.csv", number, "userSourcedId", checks.no_user(user))
                continue
            if cls not in roster.classes:
                reason = (
                    checks.OTHER_SCHOOL_CLASS if cls in self.other_classes else checks.no_class(cls)
                )
                roster.problem("enrollments.csv", number, "classSourcedId", reason)
                continue
            role = row.get("role", "").lower()
            if (role == "student" and person.role is Role.PUPIL) or (
                role in STAFF_ENROLMENT_ROLES and person.role is Role.TEACHER
            ):
                person.classes.add(cls)
                if person.year is not None:
                    self.class_years.setdefault(cls, Counter())[person.year] += 1

    def _enrolments_kept(self, header: list[str]):
        """Read an enrolment of one of this school's people, or into one of its classes."""
        if "usersourcedid" not in header or "classsourcedid" not in header:
            return lambda _values: True
        user, cls = header.index("usersourcedid"), header.index("classsourcedid")
        people, classes, width = self.roster.people, self.roster.classes, max(user, cls)

        def ours(values: list[str]) -> bool:
            """Whether the row names this school's person or class."""
            return len(values) <= width or (
                values[user].strip() in people or values[cls].strip() in classes
            )

        return ours

    def _links(self) -> None:
        """Parents to children, from agentSourcedIds on either side."""
        roster = self.roster
        for user, agents in self.agents.items():
            person = roster.people[user]
            for agent in agents:
                other = roster.people.get(agent)
                if person.role is Role.PARENT:
                    if other is not None and other.role is Role.PUPIL:
                        person.children.add(agent)
                    elif agent not in self.seen_users:
                        roster.problem(
                            "users.csv", self.rows[user], "agentSourcedIds",
                            checks.missing_child(agent),
                        )  # fmt: skip
                elif person.role is Role.PUPIL:
                    if other is not None and other.role is Role.PARENT:
                        other.children.add(user)
                    elif agent not in self.seen_users:
                        roster.problem(
                            "users.csv", self.rows[user], "agentSourcedIds",
                            checks.no_user(agent),
                        )  # fmt: skip

    def _class_years(self) -> None:
        """A class without grades takes its pupils' usual year; with no pupils, a problem."""
        for cls in self.roster.classes.values():
            if cls.year is None:
                counts = self.class_years.get(cls.roster_id)
                if counts:
                    cls.year = counts.most_common(1)[0][0]
                else:
                    self.roster.problem(
                        "classes.csv", None, "grades",
                        _l("class %(id)s has no grades and no pupils to tell its year",
                           id=cls.roster_id),
                    )  # fmt: skip
