"""AUP acceptances (insert-only, hash-chained per school) and each school's AUP settings."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.accounts import utcnow


class Frequency(enum.StrEnum):
    """How often an audience must accept its AUP."""

    EACH_LOGON = "each_logon"
    PER_VERSION = "per_version"
    PER_SCHOOL_YEAR = "per_school_year"  # a new version or a new school year


DEFAULT_FREQUENCY = {
    "ks1": Frequency.EACH_LOGON,
    "ks2": Frequency.EACH_LOGON,
    "secondary": Frequency.EACH_LOGON,
    "sixth_form": Frequency.EACH_LOGON,
}
"""Pupils accept at each logon (policies 000, 002); everyone else per version and school year."""


class AupSetting(db.Model):
    """A school's choice of how often one audience accepts its AUP."""

    __tablename__ = "aup_setting"
    __table_args__ = (sa.UniqueConstraint("school_id", "audience"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"))
    audience: Mapped[str] = mapped_column(sa.String(20))
    frequency: Mapped[Frequency] = mapped_column(sa.Enum(Frequency, native_enum=False, length=20))


class Acceptance(db.Model):
    """Proof that someone accepted an exact AUP text; never updated or deleted.

    Ids of people and sessions are plain integers without foreign keys on purpose: the proof
    must outlive the accounts it names (a leaver's account may be anonymised).
    """

    __table_args__ = (sa.UniqueConstraint("school_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int]  # position in the school's chain, 1, 2, 3 ...
    user_id: Mapped[int] = mapped_column(index=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(index=True)
    login_session_id: Mapped[int | None] = mapped_column(index=True)
    audience: Mapped[str] = mapped_column(sa.String(20))
    aup_id: Mapped[str] = mapped_column(sa.String(60))
    aup_version: Mapped[str] = mapped_column(sa.String(30))
    locale: Mapped[str] = mapped_column(sa.String(8))
    text_hash: Mapped[str] = mapped_column(sa.String(64))
    accepted_at: Mapped[datetime]
    # how record_hash was made (app/services/acceptance.py HASH_RULES): 1 covered the full
    # address and browser string; 2 (every record since migration 0013, and every older one
    # whose chain verified then) covers only network, browser and client_digest
    hash_rule: Mapped[int] = mapped_column(default=3, server_default="1")
    # rule 1 only (a chain that did not verify at migration 0013 is left as it was): else ''
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    # what proof keeps of where it was made (app/services/minimise.py)
    network: Mapped[str] = mapped_column(sa.String(49), default="", server_default="")
    browser: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    client_digest: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    # a record moved to rule 2 by migration 0013: the HMAC `aup verify` printed for its old
    # rule-1 hash, so heads kept before the move are still checked (None on newer records)
    legacy_mac: Mapped[str | None] = mapped_column(sa.String(64))
    # rule 3 (migration 0018): which form of the text was shown ("full", or "short" at a
    # pupil's everyday logon) and the hash of exactly what was shown (text_hash stays the
    # full text's, the version agreed to, so compliance reads one text per version)
    form: Mapped[str] = mapped_column(sa.String(10), default="full", server_default="full")
    form_hash: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    # rule 3: an agreement given on paper or by phone and entered by a member of staff:
    # recorded_by_id is who entered it and method how it was obtained (Method); user_id is then
    # the parent's account where there is one, else recorded_by_id. Both None/'' otherwise.
    recorded_by_id: Mapped[int | None] = mapped_column(index=True)
    method: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    record_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


@event.listens_for(Acceptance, "before_update")
@event.listens_for(Acceptance, "before_delete")
def _refuse_change(mapper, connection, target):
    """Acceptances are evidence: refuse any update or delete through the ORM.

    The database refuses the same with triggers (migration 0009), for SQL that bypasses the ORM.
    """
    raise PermissionError("AUP acceptances are insert-only")


class Method(enum.StrEnum):
    """How an agreement recorded on someone's behalf was obtained."""

    PAPER = "paper"  # a signed paper slip returned to school
    PHONE = "phone"  # agreed by telephone with a member of staff
    EMAIL = "email"  # agreed in an email or message to the school
    IN_PERSON = "in_person"  # agreed in person at the school office or a meeting


class AcceptanceNote(db.Model):
    """Staff's free-text note on an agreement recorded on someone's behalf.

    Kept outside the hash chain on purpose: free text may name people, and erasure must be able
    to redact it without breaking the evidence. The chain holds who recorded it and how.
    """

    __tablename__ = "acceptance_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(sa.ForeignKey("acceptance.id"), unique=True)
    school_id: Mapped[int] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # the day the slip, call or message reached the school (the record's accepted_at is when
    # it was entered into the chain); None on notes written before migration 0019
    received_on: Mapped[date | None]


class AupCheck(db.Model):
    """A pupil's answer to the once-a-term question about one statement of their AUP."""

    __tablename__ = "aup_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    aup_id: Mapped[str] = mapped_column(sa.String(60))
    aup_version: Mapped[str] = mapped_column(sa.String(30))
    statement: Mapped[int]  # index of the statement in the AUP file, from 0
    chosen: Mapped[int]  # index of the option the pupil chose, as the file lists them
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class AupLatest(db.Model):
    """When someone last accepted one exact AUP text (a parent: for one child), at one school.

    A summary of the acceptance chain, kept by every acceptance inserted through the ORM in the
    same transaction, so compliance reads one row per person and text instead of every
    acceptance ever made (pupils accept at each logon). Keyed by the text's hash, not its version
    label: a text changed under the same label is a new text to accept. The chain stays the
    evidence.
    """

    __tablename__ = "aup_latest"
    __table_args__ = (sa.UniqueConstraint("school_id", "user_id", "subject_id", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int]
    user_id: Mapped[int]
    subject_id: Mapped[int]  # the child a parent accepted for, else the person themselves
    aup_id: Mapped[str] = mapped_column(sa.String(60))
    aup_version: Mapped[str] = mapped_column(sa.String(30))
    text_hash: Mapped[str] = mapped_column(sa.String(64))
    accepted_at: Mapped[datetime]


@event.listens_for(Acceptance, "after_insert")
def _note_latest(mapper, connection, target):
    """Move the person's latest-acceptance row for this exact text forward, in the same flush."""
    table = AupLatest.__table__
    row = {
        "school_id": target.school_id,
        "user_id": target.user_id,
        "subject_id": target.on_behalf_of_id or target.user_id,
        "text_hash": target.text_hash,
    }
    key = [table.c[name] == value for name, value in row.items()]
    known = connection.execute(sa.select(table.c.accepted_at).where(*key)).first()
    if known is None:
        label = {"aup_id": target.aup_id, "aup_version": target.aup_version}
        connection.execute(sa.insert(table).values(**row, **label, accepted_at=target.accepted_at))
    elif known.accepted_at < target.accepted_at:
        connection.execute(sa.update(table).where(*key).values(accepted_at=target.accepted_at))


class PublishedAup(db.Model):
    """A school's own version of one audience's AUP, served instead of the file from `effective`.

    Never updated: publishing again adds a newer row. `body` holds every field of the AUP as the
    loader reads it, so the text is validated and hashed exactly like a file's.
    """

    __tablename__ = "published_aup"
    __table_args__ = (sa.UniqueConstraint("school_id", "audience", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    audience: Mapped[str] = mapped_column(sa.String(20))
    version: Mapped[str] = mapped_column(sa.String(30))
    effective: Mapped[date]
    body: Mapped[dict] = mapped_column(sa.JSON)
    text_hash: Mapped[str] = mapped_column(sa.String(64))
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class AupText(db.Model):
    """Each distinct AUP text anyone has accepted, by its hash, so it can be read again later.

    AUP files hold only the current version, and a new deploy replaces them; a school's own
    versions stay in published_aup. A text is kept here when it is first accepted
    (app/services/agreements.py), so My agreements and receipts can show an older version's
    words. `body` holds every field as the loader reads it; the text is validated and its hash
    checked again before it is shown. Never updated.
    """

    __tablename__ = "aup_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    body: Mapped[dict] = mapped_column(sa.JSON)
    kept_at: Mapped[datetime] = mapped_column(default=utcnow)
