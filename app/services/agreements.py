"""My agreements, receipts and public receipt checks: reading someone's own acceptances back.

Texts: an acceptance holds only its text's hash. The words are found, by that hash, in the AUP
files loaded now, in the school's published versions, or in aup_text, where every text is kept
the first time anyone accepts it (keep_text below). A text found nowhere is said to be no
longer held; one whose stored words no longer hash to it is never shown as what was agreed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy import event

from app.content import aups
from app.content.aup import Aup
from app.errors import NotFound
from app.extensions import db
from app.models import Acceptance, AupLatest, AupText, Role, School, User
from app.models.aup import PublishedAup
from app.services import acceptance, family, school_settings


def _from_body(body: dict, text_hash: str) -> Aup | None:
    """The AUP stored in body, only when its words still hash to text_hash."""
    try:
        aup = Aup.model_validate(body)
    except ValidationError:
        return None
    return aup if aup.text_hash == text_hash else None


def text_for(school_id: int, text_hash: str) -> Aup | None:
    """The exact text with this hash, as agreed to: files, the school's versions, or kept texts."""
    for aup in aups().all():
        if aup.text_hash == text_hash:
            return aup
    bodies = db.session.scalars(
        sa.select(PublishedAup.body).where(
            PublishedAup.school_id == school_id, PublishedAup.text_hash == text_hash
        )
    ).all()
    kept = db.session.scalar(sa.select(AupText.body).where(AupText.text_hash == text_hash))
    for body in [*bodies, *([kept] if kept is not None else [])]:
        found = _from_body(body, text_hash)
        if found is not None:
            return found
    return None


def _body_of(connection, school_id: int, text_hash: str) -> dict | None:
    """The full fields of the text with this hash, from the files or the school's versions."""
    for aup in aups().all():
        if aup.text_hash == text_hash:
            return aup.model_dump(mode="json")
    table = PublishedAup.__table__
    return connection.scalar(
        sa.select(table.c.body)
        .where(table.c.school_id == school_id, table.c.text_hash == text_hash)
        .limit(1)
    )


@event.listens_for(Acceptance, "after_insert")
def keep_text(mapper, connection, target: Acceptance) -> None:
    """Keep the accepted text by its hash the first time anyone accepts it, in the same flush.

    A new deploy replaces the AUP files, so without this an older version's words are lost.
    One indexed look-up per acceptance; nothing is written once the text is kept.
    """
    table = AupText.__table__
    known = connection.scalar(sa.select(table.c.id).where(table.c.text_hash == target.text_hash))
    if known is not None:
        return
    body = _body_of(connection, target.school_id, target.text_hash)
    if body is not None:
        connection.execute(sa.insert(table).values(text_hash=target.text_hash, body=body))


def _own(user: User):
    """The conditions for acceptances that are this person's own.

    A record staff entered for a parent without an account names the staff member as user_id
    and recorded_by_id alike: it is the parent's agreement, not the staff member's.
    """
    return (
        Acceptance.user_id == user.id,
        Acceptance.school_id == user.school_id,
        sa.or_(Acceptance.recorded_by_id.is_(None), Acceptance.recorded_by_id != user.id),
    )


@dataclass(frozen=True)
class Agreement:
    """One text someone agreed to in one form, for one person, however many times."""

    aup_id: str
    version: str
    form: str
    method: str
    child: User | None  # whom a parent agreed for; None: for themselves
    first: datetime
    latest: datetime
    count: int
    record: Acceptance  # the latest record, whose hash and receipt are shown
    text: Aup | None  # None: this version's words are no longer held


def agreements(user: User) -> list[Agreement]:
    """What someone agreed to, newest first: one line per text, form and child, not per logon."""
    key = (
        Acceptance.aup_id,
        Acceptance.aup_version,
        Acceptance.text_hash,
        Acceptance.form,
        Acceptance.method,
        Acceptance.on_behalf_of_id,
    )
    rows = db.session.execute(
        sa.select(
            *key,
            sa.func.min(Acceptance.accepted_at),
            sa.func.max(Acceptance.accepted_at),
            sa.func.count(),
            sa.func.max(Acceptance.id),
        )
        .where(*_own(user))
        .group_by(*key)
        .order_by(sa.func.max(Acceptance.accepted_at).desc(), sa.func.max(Acceptance.id).desc())
    ).all()
    records = {r.id: r for r in db.session.scalars(sa.select(Acceptance).where(
        Acceptance.id.in_([row[-1] for row in rows])
    ))}  # fmt: skip
    children = {c.id: c for c in family.children_of(user)} if user.role is Role.PARENT else {}
    texts: dict[str, Aup | None] = {}
    found = []
    for aup_id, version, text_hash, form, method, child_id, first, latest, count, last in rows:
        if text_hash not in texts:
            texts[text_hash] = text_for(user.school_id, text_hash)
        child = children.get(child_id) if child_id else None
        if child_id and child is None:
            continue  # a child no longer linked to this parent: theirs to see, not the parent's
        found.append(
            Agreement(aup_id, version, form, method, child, first, latest, count,
                      records[last], texts[text_hash])
        )  # fmt: skip
    return found


@dataclass(frozen=True)
class ChildAup:
    """What a parent's child promises: their current AUP, and when they last agreed to one."""

    child: User
    aup: Aup
    latest: datetime | None


def children_aups(parent: User, locale: str, today) -> list[ChildAup]:
    """Each of a parent's children with the pupil AUP of their band and their latest agreement."""
    found = []
    for child in family.children_of(parent):
        latest = db.session.scalar(
            sa.select(sa.func.max(AupLatest.accepted_at)).where(
                AupLatest.school_id == child.school_id,
                AupLatest.user_id == child.id,
                AupLatest.subject_id == child.id,
            )
        )
        aup = school_settings.current_aup(child.school_id, child.audience, locale, today)
        found.append(ChildAup(child, aup, latest))
    return found


@dataclass(frozen=True)
class Receipt:
    """What a receipt prints: who, for whom, what, when, the record's hash and the chain head."""

    record: Acceptance
    person: User
    child: User | None
    recorded_by: User | None
    school: School
    text: Aup | None
    head_seq: int
    head_hash: str


def receipt(user: User, acceptance_id: int) -> Receipt:
    """The receipt for one of the person's own acceptances; NotFound for anyone else's."""
    record = db.session.scalar(sa.select(Acceptance).where(Acceptance.id == acceptance_id,
                                                           *_own(user)))  # fmt: skip
    if record is None:
        raise NotFound
    child = None
    if record.on_behalf_of_id is not None:
        children = {c.id: c for c in family.children_of(user)}
        child = children.get(record.on_behalf_of_id)
        if child is None:
            raise NotFound
    head_seq, head_hash = chain_head(user.school_id)
    return Receipt(
        record=record,
        person=user,
        child=child,
        recorded_by=db.session.get(User, record.recorded_by_id) if record.recorded_by_id else None,
        school=user.school,
        text=text_for(user.school_id, record.text_hash),
        head_seq=head_seq,
        head_hash=head_hash,
    )


def chain_head(school_id: int) -> tuple[int, str]:
    """The school's chain head now: (its last record's position, its hash); (0, GENESIS) if none."""
    head = db.session.execute(
        sa.select(Acceptance.seq, Acceptance.record_hash)
        .where(Acceptance.school_id == school_id)
        .order_by(Acceptance.seq.desc())
        .limit(1)
    ).first()
    return (head.seq, head.record_hash) if head else (0, acceptance.GENESIS)


class Verdict(enum.StrEnum):
    """What the public check says of a record hash."""

    GENUINE = "genuine"  # in a school's chain and unaltered
    ALTERED = "altered"  # a record has this hash, but it or its place in the chain has changed
    UNKNOWN = "unknown"  # no record has this hash


@dataclass(frozen=True)
class Check:
    """The public answer about a record hash, and only what a receipt holder already knows."""

    verdict: Verdict
    accepted_on: datetime | None = None  # when the record says it was made (genuine only)
    aup_title: str = ""
    aup_version: str = ""
    form: str = ""


def check(record_hash: str) -> Check:
    """Whether the record with this hash is in a school's chain and unaltered.

    "Unaltered" proves three things: the record's stored fields still hash, by its own hash rule,
    to the hash on the receipt, so none of who, for whom, what, when, the form or how it was
    recorded has changed; the record before it (or the chain's start) still has the hash this
    one names as previous, and the next record, if any, is next in sequence and names this
    one's hash as its previous. So it has not been edited, removed, replaced or moved since the
    next record was written. It does not prove that the rest of the chain is sound (`flask aup
    verify` checks every record); and a school that rewrote its whole chain from this record on
    would make new hashes, so this receipt's hash would then not be found at all: that is what
    the receipt, and the chain head printed in the governors' report, are kept for.

    A genuine record's date, AUP title, version and form are given back, which the receipt
    already shows, so the holder can see the receipt says what the record says; never a name,
    the school, or the record's place in the chain. The hash is 64 hex digits: guessing one
    that exists is hopeless, so the answer reveals nothing to anyone without the receipt.
    """
    record = db.session.scalar(sa.select(Acceptance).where(Acceptance.record_hash == record_hash))
    if record is None:
        return Check(Verdict.UNKNOWN)
    if not _unaltered(record):
        return Check(Verdict.ALTERED)
    text = text_for(record.school_id, record.text_hash)
    title = text.title if text else record.aup_id
    return Check(Verdict.GENUINE, record.accepted_at, title, record.aup_version, record.form)


def _unaltered(record: Acceptance) -> bool:
    """The record hashes to its stored hash, and both neighbours in its chain still link to it."""
    if record.hash_rule not in acceptance.HASH_RULES:
        return False
    if acceptance.record_hash(acceptance.hashed_fields(record)) != record.record_hash:
        return False
    same_chain = Acceptance.school_id == record.school_id
    if record.seq == 1:
        before = acceptance.GENESIS
    else:
        before = db.session.scalar(
            sa.select(Acceptance.record_hash).where(same_chain, Acceptance.seq == record.seq - 1)
        )
    if record.prev_hash != before:
        return False
    after = db.session.execute(
        sa.select(Acceptance.seq, Acceptance.prev_hash)
        .where(same_chain, Acceptance.seq > record.seq)
        .order_by(Acceptance.seq)
        .limit(1)
    ).first()
    return after is None or (after.seq == record.seq + 1 and after.prev_hash == record.record_hash)
