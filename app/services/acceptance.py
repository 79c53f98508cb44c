"""When an AUP is due, recording acceptances in a per-school hash chain, and checking chains."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from app.content.aup import Aup
from app.database import begin_write
from app.extensions import db
from app.models import (
    Acceptance,
    AcceptanceNote,
    AupLatest,
    Frequency,
    Method,
    Role,
    School,
    User,
    utcnow,
)
from app.models import parent_child as pc
from app.services import family, minimise, school_calendar, school_settings

GENESIS = "0" * 64
"""The previous-record hash of the first acceptance in every school's chain."""


@dataclass(frozen=True)
class Context:
    """Where an acceptance happened: the sign-in session, the address and the browser.

    Only what app/services/minimise.py keeps of the address and browser string is stored.
    """

    login_session_id: int | None
    ip_address: str
    user_agent: str


def subjects(user: User) -> list[User | None]:
    """Whom an acceptance is for: a parent signs for each child; anyone else for themselves.

    A parent's children are those of their own school only (family.children_of): a link to a
    pupil of another school is never shown or signed for.
    """
    children = family.children_of(user) if user.role is Role.PARENT else []
    return list(children) or [None]


def up_to_date(
    frequency: Frequency,
    latest: datetime | None,
    year_start: date,
    this_logon: bool | None = None,
) -> bool:
    """Whether someone is up to date with one AUP text, from their latest acceptance of it.

    latest is their latest acceptance of that exact text (None: never, so a new version, or a
    text changed under the same version label, is always due). Per version, any acceptance
    will do; per school year, one since the school year began (year_start, midnight); at each
    logon, one during this sign-in (this_logon).
    Where no sign-in is in question (compliance: this_logon None), once is enough at each
    logon, since pupils cannot sign in without accepting.
    """
    if latest is None:
        return False
    if frequency is Frequency.EACH_LOGON:
        return this_logon is not False
    if frequency is Frequency.PER_SCHOOL_YEAR:
        return latest >= school_calendar.midnight(year_start)
    return True


def pending(user: User, aup: Aup, login_session_id: int | None, today: date) -> list[User | None]:
    """The subjects (children, or None for oneself) still owing an acceptance of this AUP's text.

    Only an acceptance of this exact text counts (or, when it is the current text, of its
    translation in another language: school_settings.current_texts), never of another text
    under the same version label.
    """
    frequency = school_settings.frequency_for(user.school_id, aup.audience)
    texts = school_settings.current_texts(user.school_id, aup.audience, today)
    texts = texts if aup.text_hash in texts else {aup.text_hash}
    year_start = school_calendar.year_start(user.school, today)
    in_this_logon = sa.case((Acceptance.login_session_id == login_session_id, 1), else_=0)
    rows = db.session.execute(
        sa.select(
            Acceptance.on_behalf_of_id,
            sa.func.max(Acceptance.accepted_at),
            sa.func.max(in_this_logon),
        )
        .where(Acceptance.user_id == user.id, Acceptance.text_hash.in_(sorted(texts)))
        .group_by(Acceptance.on_behalf_of_id)
    )
    done = {
        child_id
        for child_id, latest, logon in rows
        if up_to_date(frequency, latest, year_start, this_logon=bool(logon))
    }
    return [s for s in subjects(user) if (s.id if s else None) not in done]


def rebuild_latest(school_id: int) -> None:
    """Rewrite a school's latest-acceptance rows from its chain (after a bulk load past the ORM)."""
    subject = sa.func.coalesce(Acceptance.on_behalf_of_id, Acceptance.user_id)
    db.session.execute(sa.delete(AupLatest).where(AupLatest.school_id == school_id))
    key = (
        Acceptance.school_id,
        Acceptance.user_id,
        subject,
        Acceptance.aup_id,
        Acceptance.aup_version,
        Acceptance.text_hash,
    )
    latest = (
        sa.select(*key, sa.func.max(Acceptance.accepted_at))
        .where(Acceptance.school_id == school_id)
        .group_by(*key)
    )
    columns = ["school_id", "user_id", "subject_id", "aup_id", "aup_version", "text_hash"]
    columns.append("accepted_at")
    db.session.execute(sa.insert(AupLatest).from_select(columns, latest))


def record_hash(fields: dict) -> str:
    """SHA-256 over the canonical JSON of the fields the record's hash rule covers."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


CORE_FIELDS = (
    "seq", "school_id", "user_id", "on_behalf_of_id", "login_session_id", "audience", "aup_id",
    "aup_version", "locale", "text_hash",
)  # fmt: skip
"""The fields every hash rule covers (with accepted_at and prev_hash)."""

HASH_RULES = {
    1: ("ip_address", "user_agent"),
    2: ("network", "browser", "client_digest", "legacy_mac"),
    3: (
        "network", "browser", "client_digest", "legacy_mac",
        "form", "form_hash", "recorded_by_id", "method",
    ),
}  # fmt: skip
"""What each hash rule covers besides the core fields, by rule number.

Rule 1 (records before migration 0013) covered the full address and browser string, so they
could never be minimised. Rule 2 covers only the network, the browser family and a keyed digest
of the full pair (app/services/minimise.py), and the rule number itself. Migration 0013 checked
each school's rule-1 chain and moved every record of a sound chain to rule 2 (a chain that did
not verify was left at rule 1, to be looked into). Each record is checked by its own rule.

What a verifier can still prove of a record: that it is unchanged since the next one was
written (and, with kept heads, since then); who accepted which exact text, when, in which
sign-in session, from which network with which browser family; and, holding SECRET_KEY and a
claimed full address and browser string, whether they are the ones used. What it can no longer
prove: the full address or browser string from the database alone (they are not kept).

Rule 3 (every record since migration 0018) adds which form of the text was shown ("full" or
"short") with the hash of exactly that form, and, for an agreement entered by staff from a
paper slip or a call, who entered it and how it was obtained: a record made on someone's
behalf can never pass for one they made themselves.
"""


CURRENT_RULE = 3
"""The hash rule every new record is made with."""


def _unflushed(name: str):
    """What a rule field left unset will hold once flushed: its column's default, else None."""
    default = Acceptance.__table__.c[name].default
    return default.arg if default is not None and default.is_scalar else None


def hashed_fields(row: Acceptance) -> dict:
    """The fields of an acceptance that its hash covers, by its hash rule."""
    rule = row.hash_rule if row.hash_rule is not None else CURRENT_RULE
    fields = {name: getattr(row, name) for name in CORE_FIELDS}
    fields["accepted_at"] = row.accepted_at.isoformat(timespec="microseconds")
    fields["prev_hash"] = row.prev_hash
    for name in HASH_RULES.get(rule, ()):
        value = getattr(row, name)
        fields[name] = _unflushed(name) if value is None else value  # before a flush
    if rule != 1:
        fields["hash_rule"] = rule
    return fields


def _new_record(
    aup: Aup, school_id: int, user_id: int, subject_id: int | None, when: datetime, **how
) -> Acceptance:
    """A new record of agreeing to aup's exact text (_append gives it its place in the chain).

    how: what differs between a person agreeing themselves (their sign-in session, the form
    shown, where from) and staff entering an agreement for them (who entered it, and how).
    """
    fields = {
        "login_session_id": None, "form": "full", "form_hash": aup.text_hash,
        "recorded_by_id": None, "method": "", "network": "", "browser": "", "client_digest": "",
    }  # fmt: skip
    return Acceptance(
        school_id=school_id,
        user_id=user_id,
        on_behalf_of_id=subject_id,
        audience=aup.audience,
        aup_id=aup.id,
        aup_version=aup.version,
        locale=aup.locale,
        text_hash=aup.text_hash,
        accepted_at=when,
        hash_rule=CURRENT_RULE,
        ip_address="",
        user_agent="",
        legacy_mac=None,
        **(fields | how),
    )


def accept(
    user: User,
    aup: Aup,
    context: Context,
    today: date,
    form: str = "full",
    form_hash: str | None = None,
) -> list[Acceptance]:
    """Record what user still owes of aup (one row per child for a parent) and commit.

    form is the form of the text they were shown ("full", or "short" with form_hash the hash
    of the short form); text_hash is always the full text's, the version agreed to.

    The write lock is taken before reading what is pending and the chain's head, so two tabs
    or two workers accepting at once append one after the other instead of forking the chain,
    and a double submit records nothing twice.
    """
    user_id, school_id = user.id, user.school_id
    begin_write(sa.select(School.id).where(School.id == school_id))
    user = db.session.get(User, user_id)
    owed = pending(user, aup, context.login_session_id, today)
    now = utcnow()
    digest = minimise.client_digest(context.ip_address, context.user_agent)
    rows = [
        _new_record(
            aup, school_id, user_id, subject.id if subject else None, now,
            login_session_id=context.login_session_id,
            form=form,
            form_hash=form_hash or aup.text_hash,
            network=minimise.network(context.ip_address),
            browser=minimise.browser(context.user_agent),
            client_digest=digest,
        )
        for subject in owed
    ]  # fmt: skip
    _append(school_id, rows)
    db.session.commit()
    return rows


def _append(school_id: int, rows: list[Acceptance]) -> None:
    """Number, link and hash rows after the school's chain head, in order, and add them.

    The caller holds the write lock (begin_write on the school's row) from before it decided
    what to record until it commits, so no other writer can append in between.
    """
    head = db.session.execute(
        sa.select(Acceptance.seq, Acceptance.record_hash)
        .where(Acceptance.school_id == school_id)
        .order_by(Acceptance.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (head.seq, head.record_hash) if head else (0, GENESIS)
    for row in rows:
        seq += 1
        row.seq, row.prev_hash = seq, prev
        row.record_hash = prev = record_hash(hashed_fields(row))
    db.session.add_all(rows)


def parents_agreed(
    school_id: int,
    texts: frozenset[str] | set[str],
    frequency: Frequency,
    year_start: date,
    pupil_ids: list[int] | None = None,
) -> dict[int, datetime]:
    """The pupils with a parent agreement up to date, and when the latest was made.

    A parent agreement for a pupil is any acceptance of the parent AUP's current text (texts:
    its hashes in each language) made for that pupil: by any parent linked to them, or entered
    by staff from a paper slip or a call (record_on_behalf), whether or not a parent has an
    account. Read from the latest-acceptance rows, so its cost follows the pupils, not the
    history; with pupil_ids, only those pupils are read.
    """
    query = (
        sa.select(AupLatest.subject_id, sa.func.max(AupLatest.accepted_at))
        .where(
            AupLatest.school_id == school_id,
            AupLatest.subject_id != AupLatest.user_id,
            AupLatest.text_hash.in_(sorted(texts)),
        )
        .group_by(AupLatest.subject_id)
    )
    if pupil_ids is not None:
        query = query.where(AupLatest.subject_id.in_(pupil_ids))
    return {
        pupil_id: latest
        for pupil_id, latest in db.session.execute(query)
        if up_to_date(frequency, latest, year_start)
    }


def _signers(school_id: int, pupil_ids: list[int]) -> dict[int, int]:
    """Each pupil's one linked parent with an active account at their school (pupils with two
    or more such parents, or none, are left out)."""
    found: dict[int, list[int]] = {}
    rows = db.session.execute(
        sa.select(pc.c.child_id, pc.c.parent_id)
        .join(User, User.id == pc.c.parent_id)
        .where(pc.c.child_id.in_(pupil_ids), User.school_id == school_id, User.active.is_(True))
    )
    for child_id, parent_id in rows:
        found.setdefault(child_id, []).append(parent_id)
    return {child: parents[0] for child, parents in found.items() if len(parents) == 1}


def record_on_behalf(
    staff: User,
    aup: Aup,
    pupils: list[User],
    method: Method,
    received_on: date,
    note: str,
    today: date,
) -> list[Acceptance]:
    """Record a parent agreement given on paper, by phone, email or in person, for each pupil.

    staff is the signed-in member of staff entering it (recorded_by_id); aup is the parent AUP's
    current text. Each record is for one pupil (on_behalf_of_id); its user_id is the pupil's
    parent where exactly one parent account is linked to them (so that parent is not asked
    again at sign-in), else the member of staff, since a slip from a family with two linked
    parents, or none, does not tell the chain which account signed. method and recorded_by_id
    are in the record's hash (rule 3), so such a record can never pass for one a parent made
    themselves. The note and the day received sit beside it in AcceptanceNote, outside the
    chain, so erasure can redact the note.

    The write lock is taken before reading who has agreed and the chain's head, as accept()
    does: a pupil whose parent has already agreed (by any route) is skipped, so submitting the
    same slips twice records nothing twice. Adds the rows without committing: the caller
    commits (with its audit note) in the same transaction. Returns the records made. Raises
    ValueError for anyone who is not a pupil of the member of staff's school (the caller
    fetches pupils through school_access, so this is a last line, not the access check).
    """
    school_id, staff_id = staff.school_id, staff.id
    strangers = [p.id for p in pupils if p.school_id != school_id or p.role is not Role.PUPIL]
    if strangers:
        raise ValueError(f"not pupils of school {school_id}: {strangers}")
    pupil_ids = [p.id for p in pupils]
    begin_write(sa.select(School.id).where(School.id == school_id))
    school = db.session.get(School, school_id)
    texts = school_settings.current_texts(school_id, aup.audience, today)
    texts = texts if aup.text_hash in texts else frozenset({aup.text_hash})
    frequency = school_settings.frequency_for(school_id, aup.audience)
    year_start = school_calendar.year_start(school, today)
    done = parents_agreed(school_id, texts, frequency, year_start, pupil_ids)
    signers = _signers(school_id, pupil_ids)
    now = utcnow()
    rows = [
        _new_record(
            aup, school_id, signers.get(pupil_id, staff_id), pupil_id, now,
            recorded_by_id=staff_id,
            method=str(method),
        )
        for pupil_id in dict.fromkeys(pupil_ids)
        if pupil_id not in done
    ]  # fmt: skip
    _append(school_id, rows)
    db.session.flush()
    db.session.add_all(
        AcceptanceNote(
            acceptance_id=row.id, school_id=school_id, note=note, received_on=received_on
        )
        for row in rows
    )
    return rows


@dataclass(frozen=True)
class ChainReport:
    """The result of checking one school's chain."""

    school_id: int
    count: int
    head: str
    broken_at: int | None  # id of the first record that does not match
    reason: str | None
    broken_seq: int | None = None  # that record's stored position in the chain


VERIFY_BATCH = 1000  # records read at a time by verify_chain


def verify_chain(school_id: int) -> ChainReport:
    """Recompute a school's chain from the start; report the first record that does not match.

    The records stream in batches (a server-side cursor on PostgreSQL) and none is kept once
    checked, so memory stays flat however long the chain: holding a 300,000-record chain took
    747 MB.
    """
    rows = db.session.scalars(
        sa.select(Acceptance)
        .where(Acceptance.school_id == school_id)
        .order_by(Acceptance.seq)
        .execution_options(yield_per=VERIFY_BATCH)
    )
    prev, count = GENESIS, 0
    try:
        for count, row in enumerate(rows, start=1):
            problem = _problem(row, prev, count)
            if problem:
                return ChainReport(school_id, count - 1, prev, row.id, problem, row.seq)
            prev = row.record_hash
    finally:
        rows.close()  # a broken chain stops early: free its cursor
    return ChainReport(school_id, count, prev, None, None)


def _problem(row: Acceptance, prev: str, expected_seq: int) -> str | None:
    """Why a record breaks the chain, or None when it is sound."""
    if row.seq != expected_seq:
        return f"sequence {row.seq} where {expected_seq} was expected (a record is missing)"
    if row.prev_hash != prev:
        return "its previous-record hash does not match the record before it"
    if row.hash_rule not in HASH_RULES:
        return f"its hash rule {row.hash_rule} is not one this version knows"
    if record_hash(hashed_fields(row)) != row.record_hash:
        return "its stored fields do not match its hash (the record was altered)"
    return None


def chained_schools() -> list[int]:
    """Every school's id, in order: each school has its own chain (possibly empty)."""
    return list(db.session.scalars(sa.select(School.id).order_by(School.id)))
