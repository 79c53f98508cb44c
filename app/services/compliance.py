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

import sqlalchemy as sa

from app.content import aups
from app.content.aup import DEFAULT_LOCALE, Aup
from app.extensions import db
from app.models import AupLatest, Frequency, Role, School, SchoolClass, User, class_pupil
from app.models import parent_child as pc
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
    pupils = db.session.scalars(
        sa.select(User)
        .join(class_pupil, class_pupil.c.pupil_id == User.id)
        .where(class_pupil.c.class_id == school_class.id, User.active.is_(True))
        .order_by(User.display_name, User.id)
    ).all()
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
