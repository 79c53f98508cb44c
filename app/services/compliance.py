"""AUP compliance: who has accepted the current version of their AUP, and who is outstanding.

The current version is the school's own published one where it has one, else the file's. Only
an acceptance of its exact text counts (in any of its languages: school_settings.current_texts),
never one of another text under the same version label. What counts as accepted follows the
audience's frequency, by the same rule as the AUP gate (acceptance.up_to_date): per version, an
acceptance of the current text; per school year,
one since the school year began; at each logon (pupils, by default), an acceptance of the
current version at least once, since pupils cannot sign in without one. A parent accepts once
for each child (on_behalf_of_id), so parents are listed per child.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from app.content import aups
from app.content.aup import DEFAULT_LOCALE, Aup
from app.extensions import db
from app.models import (
    Acceptance,
    AupLatest,
    Frequency,
    Method,
    Role,
    School,
    SchoolClass,
    User,
    class_pupil,
)
from app.models import parent_child as pc
from app.services import acceptance as acceptance_service
from app.services import school_calendar, school_settings
from app.services.acceptance import up_to_date

PUPIL_AUDIENCES = ("ks1", "ks2", "secondary", "sixth_form")


@dataclass(frozen=True)
class Standing:
    """One person's (or one parent's, for one child) standing with the current AUP."""

    person: User
    child: User | None
    accepted: bool
    last_current: datetime | None  # latest acceptance of the current text
    last_any: datetime | None  # latest acceptance of any version


@dataclass
class AudienceReport:
    """One audience: its current AUP, how often it is accepted, and everyone's standing."""

    audience: str
    aup: Aup
    frequency: Frequency
    texts: frozenset[str]  # the hashes of the current text in each language
    standings: list[Standing] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        """How many standings are up to date."""
        return sum(s.accepted for s in self.standings)

    @property
    def outstanding(self) -> list[Standing]:
        """Those still to accept the current version."""
        return [s for s in self.standings if not s.accepted]


@dataclass
class Compliance:
    """A school's compliance: per audience, with pupils also grouped by class."""

    school: School
    since: date  # the school year's first day
    audiences: dict[str, AudienceReport]
    classes: list[tuple[SchoolClass, list[Standing]]]
    unplaced: list[Standing]  # pupils in no class


def report(school: School, today: date) -> Compliance:
    """Everyone's standing with their current AUP at one school (6 queries)."""
    since = school_calendar.year_start(school, today)
    frequencies = school_settings.frequencies(school)
    reports = {a: _line(school.id, a, frequencies[a], today) for a in aups().audiences()}
    latest = _latest(school.id)
    people = db.session.scalars(
        sa.select(User)
        .where(User.school_id == school.id, User.active.is_(True))
        .order_by(User.display_name, User.id)
    ).all()
    children = _children(school.id, {u.id: u for u in people})
    standings: dict[int, Standing] = {}
    for person in people:
        line = reports.get(person.audience)
        if line is None:
            continue
        subjects = children.get(person.id, [None]) if person.role is Role.PARENT else [None]
        for child in subjects:
            standing = _standing(person, child, line, latest, since)
            line.standings.append(standing)
            standings.setdefault(person.id, standing)
    classes, unplaced = _by_class(school.id, people, standings)
    return Compliance(school, since, reports, classes, unplaced)


def _line(school_id: int, audience: str, frequency: Frequency, today: date) -> AudienceReport:
    """An audience's report, not yet filled: its current AUP and the hashes of its text."""
    aup = school_settings.current_aup(school_id, audience, DEFAULT_LOCALE, today)
    texts = school_settings.current_texts(school_id, audience, today)
    return AudienceReport(audience, aup, frequency, texts)


def _latest(school_id: int, user_ids: list[int] | None = None) -> dict[tuple, dict]:
    """Latest acceptance per (person, child), then per text hash, at one school.

    Read from the latest-acceptance rows (one per person, child and text), not the chain, so
    the cost follows the people and versions, not every logon's acceptance. With user_ids, only
    those people's rows are read (one class, not the whole school).
    """
    query = sa.select(
        AupLatest.user_id,
        AupLatest.subject_id,
        AupLatest.text_hash,
        AupLatest.accepted_at,
    ).where(AupLatest.school_id == school_id)
    if user_ids is not None:
        query = query.where(AupLatest.user_id.in_(user_ids))
    found: dict[tuple, dict[str, datetime]] = defaultdict(dict)
    for user_id, subject_id, text_hash, when in db.session.execute(query):
        child_id = None if subject_id == user_id else subject_id
        found[(user_id, child_id)][text_hash] = when
    return found


def _children(school_id: int, people: dict[int, User]) -> dict[int, list[User]]:
    """Each parent's children among the school's active people, by name."""
    rows = db.session.execute(
        sa.select(pc.c.parent_id, pc.c.child_id)
        .join(User, User.id == pc.c.parent_id)
        .where(User.school_id == school_id)
    )
    found: dict[int, list[User]] = defaultdict(list)
    for parent_id, child_id in rows:
        if child_id in people:
            found[parent_id].append(people[child_id])
    for kids in found.values():
        kids.sort(key=lambda child: (child.display_name, child.id))
    return found


def _standing(person, child, line: AudienceReport, latest: dict, since: date) -> Standing:
    """Whether one person (for one child) is up to date, and when they last accepted."""
    child_id = child.id if child else None
    mine = latest.get((person.id, child_id), {})
    current = max((mine[h] for h in line.texts if h in mine), default=None)
    ok = up_to_date(line.frequency, current, since)
    return Standing(person, child, ok, current, max(mine.values(), default=None))


def _by_class(school_id: int, people: list[User], standings: dict[int, Standing]) -> tuple:
    """Pupils' standings grouped by live class (by year and name), and pupils in no class.

    An ended class (last school year's) is not listed: its pupils have moved up and show in
    their new class, or in no class until they have one.
    """
    classes = db.session.scalars(
        sa.select(SchoolClass)
        .where(SchoolClass.school_id == school_id, SchoolClass.ended_at.is_(None))
        .order_by(SchoolClass.year, SchoolClass.name)
    ).all()
    members = db.session.execute(
        sa.select(class_pupil.c.class_id, class_pupil.c.pupil_id)
        .join(SchoolClass, SchoolClass.id == class_pupil.c.class_id)
        .where(SchoolClass.school_id == school_id, SchoolClass.ended_at.is_(None))
    )
    grouped: dict[int, list[Standing]] = defaultdict(list)
    placed = set()
    for class_id, pupil_id in members:
        if pupil_id in standings:
            grouped[class_id].append(standings[pupil_id])
            placed.add(pupil_id)
    order = {u.id: n for n, u in enumerate(people)}
    for rows in grouped.values():
        rows.sort(key=lambda s: order[s.person.id])
    unplaced = [
        standings[u.id]
        for u in people
        if u.role is Role.PUPIL and u.id in standings and u.id not in placed
    ]
    return [(c, grouped.get(c.id, [])) for c in classes], unplaced


def outstanding_for_class(school_class: SchoolClass, today: date | None = None) -> list[Standing]:
    """The pupils of one class still to accept their current AUP, by name (for the class page).

    Reads only this class's pupils and their acceptances, so its cost does not grow with the
    school (the whole-school report is for the coordinator's pages).
    """
    school = school_class.school
    today = today or school_calendar.today()
    since = school_calendar.year_start(school, today)
    pupils = _class_pupils(school_class)
    latest = _latest(school.id, [p.id for p in pupils])
    frequencies = school_settings.frequencies(school)
    lines: dict[str, AudienceReport] = {}
    outstanding = []
    for pupil in pupils:
        audience = pupil.audience
        if audience not in lines:
            lines[audience] = _line(school.id, audience, frequencies[audience], today)
        standing = _standing(pupil, None, lines[audience], latest, since)
        if not standing.accepted:
            outstanding.append(standing)
    return outstanding


@dataclass(frozen=True)
class AudienceLine:
    """One audience's current AUP and how many of its people have accepted it."""

    audience: str
    title: str
    version: str
    people: int
    accepted: int


def audience_summary(school: School, today: date | None = None) -> list[AudienceLine]:
    """Per audience: standings (parents per child) and those up to date with the current AUP."""
    found = report(school, today or school_calendar.today())
    return [
        AudienceLine(a, r.aup.title, r.aup.version, len(r.standings), r.accepted)
        for a, r in found.audiences.items()
    ]


# Every parent counted: a pupil's parent agreement, from the roster (issue 20, part 4).


@dataclass(frozen=True)
class OnBehalf:
    """A parent agreement entered by staff from a paper slip, a call, an email or a visit."""

    method: str  # app.models.Method
    recorded_by: str  # the member of staff's name ('' when their account is gone)
    recorded_at: datetime
    user_id: int  # the parent's account it was recorded under, else the member of staff's


@dataclass(frozen=True)
class PupilParent:
    """One pupil, and whether a parent or carer has agreed to the current parent AUP for them."""

    pupil: User
    agreed_at: datetime | None  # the latest up-to-date parent agreement, else None
    on_behalf: OnBehalf | None  # the latest such agreement entered by staff, if any

    @property
    def agreed(self) -> bool:
        """Whether a parent agreement for this pupil is up to date."""
        return self.agreed_at is not None


@dataclass
class ParentCoverage:
    """Pupils whose parent or carer has agreed to the current parent AUP, per class and school.

    Counted per pupil from the roster, never per parent account: a pupil is outstanding until
    a parent linked to them agrees or staff record an agreement given on paper for them.
    """

    aup: Aup
    classes: list[tuple[SchoolClass, list[PupilParent]]]
    unplaced: list[PupilParent]

    @cached_property
    def pupils(self) -> list[PupilParent]:
        """Every pupil once (a pupil in two classes counts once), in class order."""
        seen: dict[int, PupilParent] = {}
        for _class, rows in self.classes:
            for row in rows:
                seen.setdefault(row.pupil.id, row)
        for row in self.unplaced:
            seen.setdefault(row.pupil.id, row)
        return list(seen.values())

    @property
    def agreed(self) -> int:
        """How many pupils have a parent agreement."""
        return sum(p.agreed for p in self.pupils)

    @property
    def on_behalf(self) -> int:
        """How many pupils' parent agreements were entered by staff."""
        return sum(p.agreed and p.on_behalf is not None for p in self.pupils)

    @cached_property
    def _by_pupil(self) -> dict[int, PupilParent]:
        """Each pupil's line by id."""
        return {p.pupil.id: p for p in self.pupils}

    def mark_for(self, standing: Standing) -> OnBehalf | None:
        """For a parent's standing for one child: the agreement staff recorded under that
        parent's account for the child, if any (the parents' list marks it)."""
        line = self._by_pupil.get(standing.child.id) if standing.child else None
        record = line.on_behalf if line else None
        return record if record and record.user_id == standing.person.id else None


def parent_coverage(found: Compliance) -> ParentCoverage | None:
    """Per pupil of a compliance report, whether a parent has agreed (2 queries); None when the
    school has no parent AUP."""
    line = found.audiences.get("parent")
    if line is None:
        return None
    lookup = _parent_lookup(found.school.id, line, found.since)
    classes = [(c, _pupil_parents([s.person for s in rows], lookup)) for c, rows in found.classes]
    unplaced = _pupil_parents([s.person for s in found.unplaced], lookup)
    return ParentCoverage(line.aup, classes, unplaced)


def class_parent_coverage(school_class: SchoolClass, today: date | None = None) -> list:
    """One class's pupils and their parent agreement, those outstanding first, then by name.

    Reads only this class's pupils, like outstanding_for_class.
    """
    school = school_class.school
    today = today or school_calendar.today()
    since = school_calendar.year_start(school, today)
    pupils = _class_pupils(school_class)
    frequency = school_settings.frequency_for(school.id, "parent")
    line = _line(school.id, "parent", frequency, today)
    lookup = _parent_lookup(school.id, line, since, [p.id for p in pupils])
    rows = _pupil_parents(list(pupils), lookup)
    return sorted(rows, key=lambda row: row.agreed)  # stable: by name within each group


def _parent_lookup(school_id: int, line: AudienceReport, since: date, pupil_ids=None) -> tuple:
    """Who has a parent agreement up to date (and when), and the latest entered by staff."""
    agreed = acceptance_service.parents_agreed(
        school_id, line.texts, line.frequency, since, pupil_ids
    )
    return agreed, on_behalf_records(school_id, line.texts, pupil_ids)


def on_behalf_records(school_id: int, texts, pupil_ids: list[int] | None = None) -> dict:
    """The latest agreement of these texts entered by staff for each pupil, by pupil id.

    Reads only records with recorded_by_id set (indexed): one per pupil and version at most,
    so its cost does not grow with pupils' sign-ins.
    """
    staff = aliased(User)
    query = (
        sa.select(
            Acceptance.on_behalf_of_id,
            Acceptance.method,
            Acceptance.accepted_at,
            Acceptance.user_id,
            staff.display_name,
        )
        .outerjoin(staff, staff.id == Acceptance.recorded_by_id)
        .where(
            Acceptance.school_id == school_id,
            Acceptance.recorded_by_id.is_not(None),
            Acceptance.text_hash.in_(sorted(texts)),
        )
        .order_by(Acceptance.seq)
    )
    if pupil_ids is not None:
        query = query.where(Acceptance.on_behalf_of_id.in_(pupil_ids))
    return {
        pupil_id: OnBehalf(method, name or "", when, user_id)
        for pupil_id, method, when, user_id, name in db.session.execute(query)
    }


def _pupil_parents(pupils: list[User], lookup: tuple) -> list[PupilParent]:
    """Each pupil with their parent agreement, in the order given."""
    agreed, on_behalf = lookup
    return [PupilParent(p, agreed.get(p.id), on_behalf.get(p.id)) for p in pupils]


METHOD_LABELS = {
    Method.PAPER: _l("paper slip"),
    Method.PHONE: _l("phone call"),
    Method.EMAIL: _l("email"),
    Method.IN_PERSON: _l("in person"),
}
"""How an agreement recorded on a parent's behalf was obtained, as its marking names it."""


def on_behalf_text(record: OnBehalf) -> str:
    """The marking every report gives an agreement entered by staff, in the user's language."""
    how = str(METHOD_LABELS.get(record.method, record.method))
    if not record.recorded_by:
        return _("recorded on behalf (%(how)s)", how=how)
    return _("recorded on behalf (%(how)s, by %(who)s)", how=how, who=record.recorded_by)


def _class_pupils(school_class: SchoolClass) -> list[User]:
    """A class's current pupils, by name."""
    return db.session.scalars(
        sa.select(User)
        .join(class_pupil, class_pupil.c.pupil_id == User.id)
        .where(class_pupil.c.class_id == school_class.id, User.active.is_(True))
        .order_by(User.display_name, User.id)
    ).all()
