"""Checking acceptances beyond their hash chain: the texts, schools and people they name, and
each school's head against heads kept outside the database, signed with a key kept outside it.

The chain (app/services/acceptance.py) proves each record is unchanged since the one after it
was written, but someone able to write to the database can rewrite a chain and recompute every
hash. What they cannot do without the chain key is sign a head: `flask aup verify` prints each
school's head with an HMAC of it, and `--heads FILE` checks a file of earlier printed heads (its
HMACs first) against the chain now, so a rewritten chain is caught even when recomputed.

Only the printed heads are keyed, never the stored record hashes, so the web app never needs
the key (only whoever runs `aup verify`). A chain's head covers every record before it, so
signing heads anchors the whole chain. Migration 0013 rewrote the hashes of sound chains (hash
rule 2, keeping addresses out of them); each record it moved keeps the HMAC of its old hash
(legacy_mac), so a head kept before the move still matches its record.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from pydantic import ValidationError

from app.config import instance_key
from app.content import aups
from app.content.aup import Aup
from app.extensions import db
from app.models import Acceptance, School, User
from app.models.aup import PublishedAup

HEAD_LINE = re.compile(
    r"^school (\d+) \(.*\): (\d+) acceptances, head ([0-9a-f]{64}), hmac ([0-9a-f]{64})$"
)
"""A head line as `aup verify` prints it; other lines of a heads file are ignored."""

TextKey = tuple[str, str, str, str]  # audience, AUP id, version, locale


@dataclass(frozen=True)
class Problem:
    """Something wrong with one school's records: which record (if one) and what."""

    school_id: int
    what: str
    seq: int | None = None
    record_id: int | None = None


@dataclass
class Audit:
    """What checking every acceptance against its texts, school and people found."""

    problems: list[Problem] = field(default_factory=list)
    unchecked: Counter = field(default_factory=Counter)  # (school, TextKey): acceptances


def chain_key() -> str:
    """The key heads are signed with: LANTERN_CHAIN_KEY, else instance/chain_key (made 0600)."""
    configured = current_app.config.get("LANTERN_CHAIN_KEY")
    return configured or instance_key(Path(current_app.instance_path), "chain_key")


def head_mac(key: str, school_id: int, seq: int, head: str) -> str:
    """HMAC-SHA256 of one school's head at one position, under the chain key."""
    message = f"lantern-chain-head:{school_id}:{seq}:{head}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def head_line(school_id: int, name: str, seq: int, head: str, key: str) -> str:
    """A school's head as `aup verify` prints it and `--heads` reads it back."""
    mac = head_mac(key, school_id, seq, head)
    return f"school {school_id} ({name}): {seq} acceptances, head {head}, hmac {mac}"


def audit_records() -> Audit:
    """Check every acceptance's text hash, school and people; list what is wrong."""
    audit = Audit()
    schools = set(db.session.scalars(sa.select(School.id)))
    user_school = dict(db.session.execute(sa.select(User.id, User.school_id)).all())
    texts: dict[int, dict[TextKey, set[str]]] = {}
    for school_id in sorted(schools):
        texts[school_id] = _texts(school_id, audit.problems)
    rows = db.session.execute(
        sa.select(
            Acceptance.id, Acceptance.school_id, Acceptance.seq, Acceptance.user_id,
            Acceptance.on_behalf_of_id, Acceptance.audience, Acceptance.aup_id,
            Acceptance.aup_version, Acceptance.locale, Acceptance.text_hash,
        ).order_by(Acceptance.school_id, Acceptance.seq, Acceptance.id)
        .execution_options(yield_per=5000)  # streamed: memory stays flat however many
    )  # fmt: skip
    for row in rows:
        if row.school_id not in schools:
            what = "names a school that does not exist (the record was moved)"
            audit.problems.append(Problem(row.school_id, what, row.seq, row.id))
            continue
        key = (row.audience, row.aup_id, row.aup_version, row.locale)
        known = texts[row.school_id].get(key)
        if known is None:
            audit.unchecked[(row.school_id, key)] += 1
        for what in _record_problems(row, known, user_school):
            audit.problems.append(Problem(row.school_id, what, row.seq, row.id))
    return audit


def _record_problems(row, known: set[str] | None, user_school: dict[int, int]) -> list[str]:
    """What is wrong with one acceptance's text hash (known: its text's hashes) and people."""
    found = []
    if known is not None and row.text_hash not in known:
        found.append(
            f"its text hash is not that of {row.audience} AUP {row.aup_id} version "
            f"{row.aup_version} ({row.locale}): the record, or that text, was changed"
        )
    for person, who in ((row.user_id, "its user"), (row.on_behalf_of_id, "the child")):
        moved_to = user_school.get(person, row.school_id)  # a deleted account moved nowhere
        if person is not None and moved_to != row.school_id:
            found.append(f"{who} ({person}) belongs to school {moved_to} now, not this one")
    return found


def _texts(school_id: int, problems: list[Problem]) -> dict[TextKey, set[str]]:
    """The text hashes a school's acceptances may name: the AUP files' and its published ones.

    A published AUP's stored hash must be its body hashed again the way the loader hashes a
    file (Aup.text_hash); records are checked against the body's hash, the text itself.
    """
    known: dict[TextKey, set[str]] = {}
    for aup in aups().all():
        known.setdefault((aup.audience, aup.id, aup.version, aup.locale), set()).add(aup.text_hash)
    published = db.session.scalars(
        sa.select(PublishedAup).where(PublishedAup.school_id == school_id).order_by(PublishedAup.id)
    )
    for row in published:
        label = f"its published {row.audience} AUP version {row.version} (published_aup {row.id})"
        try:
            aup = Aup.model_validate(row.body)
        except ValidationError:
            what = f"{label} no longer reads as an AUP: it was changed"
            problems.append(Problem(school_id, what))
            continue
        if aup.text_hash != row.text_hash:
            problems.append(
                Problem(school_id, f"{label} does not match its text hash: its text was changed")
            )
        known.setdefault((aup.audience, aup.id, aup.version, aup.locale), set()).add(aup.text_hash)
    return known


def check_kept_heads(text: str, key: str) -> tuple[int, list[Problem]]:
    """Check heads printed earlier (the text of a heads file): (how many were read, problems).

    Each head must carry a valid HMAC under the chain key, and the record at its position must
    still have its hash: a chain rewritten at or before that position, even with every hash
    recomputed, no longer does. Records added since are not covered until their head is kept.
    """
    found, problems = 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        match = HEAD_LINE.match(line.strip())
        if not match:
            continue
        found += 1
        school_id, seq, head, mac = int(match[1]), int(match[2]), match[3], match[4]
        if not hmac.compare_digest(mac, head_mac(key, school_id, seq, head)):
            problems.append(
                Problem(
                    school_id,
                    f"the head kept on line {number} has a wrong HMAC: the heads file was "
                    "altered, or made with another chain key",
                )
            )
            continue
        if seq == 0:
            continue  # an empty chain: nothing to compare
        now = db.session.execute(
            sa.select(Acceptance.id, Acceptance.record_hash, Acceptance.legacy_mac).where(
                Acceptance.school_id == school_id, Acceptance.seq == seq
            )
        ).first()
        if now is None:
            what = "is missing, but was the head kept on file: the chain was cut or removed"
            problems.append(Problem(school_id, what, seq))
        elif now.record_hash != head and not (
            now.legacy_mac and hmac.compare_digest(now.legacy_mac, mac)
        ):  # a head kept before migration 0013 moved the record: its old hash's HMAC is kept
            what = "differs from the head kept on file for it: the chain was rewritten"
            problems.append(Problem(school_id, what, seq, now.id))
    return found, problems
