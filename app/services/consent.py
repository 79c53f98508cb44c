"""Photo consent (policy 000): in school, and each public use on its own; state, history, lists.

Every decision is a new PhotoConsent row; the latest row per pupil and part is the current
state, and no row means nobody has answered yet, which counts as no consent.

Before the split, one "publications" answer covered every public use (website, social media,
press). Those rows are kept as history. A use with no answer of its own yet takes the latest
"publications" row instead: the row itself is returned, so its part (publications, not the use)
tells every page to label it "from the earlier answer for all publications" (see inherited()).

Parents decide for pupils up to Year 11; pupils in Years 12 and 13 decide their own (their
parents see their answers but cannot change them). Earlier rows keep who decided each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.errors import Forbidden
from app.extensions import db
from app.models import (
    ConsentDecision,
    ConsentPart,
    PhotoConsent,
    Role,
    School,
    SchoolClass,
    User,
    utcnow,
)

PUBLIC_USES: tuple[ConsentPart, ...] = (
    ConsentPart.WEBSITE,
    ConsentPart.SOCIAL_MEDIA,
    ConsentPart.PRESS,
)
"""The public uses asked about one by one; each falls back to the old "publications" answer."""

PARTS: tuple[ConsentPart, ...] = (ConsentPart.IN_SCHOOL, *PUBLIC_USES)
"""The parts asked today, in the order the policy and every page list them."""

OWN_CONSENT_FROM_YEAR = 12
"""Pupils from this year group (the sixth form) give or refuse their own photo consent."""

Current = dict[int, dict[ConsentPart, PhotoConsent | None]]


def current(pupil_ids: Iterable[int]) -> Current:
    """The latest decision per pupil and part ({pupil_id: {part: row or None}}), in one query."""
    ids = sorted(set(pupil_ids))
    state: Current = {pupil_id: dict.fromkeys(PARTS) for pupil_id in ids}
    if not ids:
        return state
    earlier: dict[int, PhotoConsent] = {}
    rank = (
        sa.func.row_number()
        .over(
            partition_by=(PhotoConsent.pupil_id, PhotoConsent.part),
            order_by=(PhotoConsent.decided_at.desc(), PhotoConsent.id.desc()),
        )
        .label("rank")
    )
    ranked = sa.select(PhotoConsent.id, rank).where(PhotoConsent.pupil_id.in_(ids)).subquery()
    latest = sa.select(PhotoConsent).join(ranked, ranked.c.id == PhotoConsent.id)
    for row in db.session.scalars(latest.where(ranked.c.rank == 1)):
        if row.part is ConsentPart.PUBLICATIONS:
            earlier[row.pupil_id] = row
        else:
            state[row.pupil_id][row.part] = row
    for pupil_id, row in earlier.items():
        for use in PUBLIC_USES:
            if state[pupil_id][use] is None:
                state[pupil_id][use] = row
    return state


def inherited(row: PhotoConsent | None, part: ConsentPart | str) -> bool:
    """Whether a part's state is the old answer for all publications, not an answer of its own."""
    return row is not None and row.part is ConsentPart.PUBLICATIONS and part != row.part


def decides_own(pupil: User) -> bool:
    """Whether a pupil gives or refuses their own photo consent (Years 12 and 13)."""
    return pupil.year is not None and pupil.year >= OWN_CONSENT_FROM_YEAR


def may_decide(user: User, pupil: User) -> bool:
    """Whether user is the one who decides: the sixth former, or a parent for a younger pupil.

    The caller has checked that a parent may see the child (school_access.child_for).
    """
    if decides_own(pupil):
        return user.id == pupil.id
    return user.role is Role.PARENT


def is_given(row: PhotoConsent | None) -> bool:
    """Whether a part is consented to now: only a latest decision of given counts."""
    return row is not None and row.decision is ConsentDecision.GIVEN


def history(pupil_id: int) -> list[PhotoConsent]:
    """Every decision about one pupil, newest first."""
    query = (
        sa.select(PhotoConsent)
        .where(PhotoConsent.pupil_id == pupil_id)
        .options(selectinload(PhotoConsent.decided_by))
        .order_by(PhotoConsent.decided_at.desc(), PhotoConsent.id.desc())
    )
    return list(db.session.scalars(query))


def normalise(decision: ConsentDecision, now: PhotoConsent | None) -> ConsentDecision:
    """Saying no after consent was given is a withdrawal; before that it is a refusal.

    A "no" to a part that is already refused or withdrawn keeps that answer, so pressing
    Save again, or a form from another tab, changes nothing.
    """
    if decision is ConsentDecision.GIVEN:
        return decision
    if now is None:
        return ConsentDecision.REFUSED
    return ConsentDecision.WITHDRAWN if is_given(now) else now.decision


def decide(
    actor: User, child: User, part: ConsentPart, decision: ConsentDecision
) -> PhotoConsent | None:
    """Record one decision for one part as a new row; None when nothing changed.

    actor is the child's parent (the caller has checked school_access.child_for) or, from Year
    12, the pupil themself; anyone else is refused. A repeated decision (a double submit, or the
    same answer again) records nothing; an answer to a use that only had the old "publications"
    answer is recorded even when it is the same, as that use's own answer.
    """
    if part not in PARTS:
        raise ValueError(f"{part} is no longer asked")
    if not may_decide(actor, child):
        raise Forbidden
    now = current([child.id])[child.id][part]
    decision = normalise(decision, now)
    if now is not None and now.decision is decision and not inherited(now, part):
        return None
    row = PhotoConsent(
        school_id=child.school_id,
        pupil_id=child.id,
        part=part,
        decision=decision,
        decided_by_id=actor.id,
        decided_at=utcnow(),
    )
    db.session.add(row)
    return row


@dataclass(frozen=True)
class PupilConsent:
    """One pupil's consent state on a coordinator's list."""

    pupil: User
    parts: dict[ConsentPart, PhotoConsent | None]

    @property
    def last_change(self) -> datetime | None:
        """When any part was last decided, or None when nothing is answered."""
        times = [row.decided_at for row in self.parts.values() if row is not None]
        return max(times) if times else None

    @property
    def complete(self) -> bool:
        """Whether every part is given (the pupil is not on the office's list)."""
        return all(is_given(row) for row in self.parts.values())


@dataclass(frozen=True)
class ClassConsent:
    """A class (None for pupils in no class) with each pupil's consent state."""

    school_class: SchoolClass | None
    pupils: list[PupilConsent]


def school_lists(school: School, class_id: int | None = None) -> list[ClassConsent]:
    """Each class's pupils with their consent state, in year then name order (4 queries).

    With class_id, only that class (the caller has checked it belongs to the school). Pupils
    in no class are listed last, so nobody drops off the office's list.
    """
    query = (
        sa.select(SchoolClass)
        .where(SchoolClass.school_id == school.id)
        .options(selectinload(SchoolClass.pupils))
        .order_by(SchoolClass.year, SchoolClass.name)
    )
    if class_id is not None:
        query = query.where(SchoolClass.id == class_id)
    else:  # last year's classes are not listed: their pupils show in their new class
        query = query.where(SchoolClass.ended_at.is_(None))
    classes = list(db.session.scalars(query))
    groups = [(c, [p for p in c.pupils if p.role is Role.PUPIL and p.active]) for c in classes]
    if class_id is None:
        groups.append((None, _pupils_in_no_class(school.id)))
    state = current(p.id for _, pupils in groups for p in pupils)
    return [
        ClassConsent(c, [PupilConsent(p, state[p.id]) for p in pupils])
        for c, pupils in groups
        if pupils or c is not None
    ]


def _pupils_in_no_class(school_id: int) -> list[User]:
    """Active pupils of a school who are in no class."""
    query = sa.select(User).where(
        User.school_id == school_id,
        User.role == Role.PUPIL,
        User.active.is_(True),
        ~User.classes.any(),
    )
    return list(db.session.scalars(query.order_by(User.display_name)))


def without_consent(lists: list[ClassConsent]) -> list[ClassConsent]:
    """The office's list (000): per class, pupils missing consent for any part."""
    missing = [ClassConsent(c.school_class, [p for p in c.pupils if not p.complete]) for c in lists]
    return [group for group in missing if group.pupils]
