"""Erasing a person who has left: their identifying fields go, the records naming their id stay.

UK GDPR's right to erasure, and retention (app/services/retention.py), both end here. The
account row is kept, blanked, because the records that name its id must keep their meaning:
AUP acceptances (the proof, which never held a name: app/services/acceptance.py), progress,
quiz attempts, consent history, the security log. What goes:

- the account's identifying fields: display name and username (both become `erased-<id>`), the
  roster id, password and picture-password hashes, the authenticator secret and recovery codes,
  the chosen language, the DSL and trust-wide flags; the account stays inactive for good;
- every sign-in session row of theirs, and every parent-child link (a named parent linked to
  an erased pupil would say who the pupil was);
- their full display name and username wherever free text holds them (an assignment's
  message, workshop feedback, the security log's details...): replaced by `erased-<id>`
  (whole words only, any case). Their first name alone is not searched for: too common to
  replace blindly in other people's text.

Never touched: acceptances and photo-consent decisions (insert-only evidence that holds ids, not
names), and a school's published AUP texts (the school's own policy, hashed as the proof of what
was shown; a member of staff named there as a contact is counted, for the school to publish a new
version). Someone still active is refused: mark them as left first (app/rostering or the people
page), so nobody is erased by mistake while they still use Lantern.

A later piece with records of its own (the safeguarding log) registers a scrubber with
`scrubber`, so erasure reaches its tables too, or decides explicitly to keep them.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Acceptance,
    AcceptanceNote,
    IncidentEntry,
    LoginSession,
    MfaRecoveryCode,
    ReportPupil,
    SafeguardingReport,
    User,
    parent_child,
    utcnow,
)
from app.models.safeguarding import INSERT_ONLY_TABLES as SAFEGUARDING_TABLES
from app.services import audit


class Reason(enum.StrEnum):
    """Why a person was erased (kept in the security log, never a free text)."""

    REQUEST = "request"  # they (or their parent) asked: UK GDPR article 17
    NOT_NEEDED = "not_needed"  # the school no longer needs what it holds about them
    RETENTION = "retention"  # the retention period for leavers' accounts ran out


class Refused(Exception):
    """Erasure was refused; str() says why, for the admin or the command line."""


NEVER_SEARCHED = frozenset(
    {"user", "acceptance", "photo_consent", "published_aup", *SAFEGUARDING_TABLES}
)
"""Tables the free-text pass leaves alone (see the module docstring); alembic_version too.

The safeguarding log is never erased: a child-protection file is kept until the pupil is 25
(and what was written is insert-only). Anyone it names is refused by why_not() instead.
"""

SAFEGUARDING_HOLD = (
    "named in the safeguarding log: the DSL keeps those records (until the pupil is 25), so "
    "the person cannot be erased while they are kept"
)


@dataclass
class Erased:
    """What erasing one person changed: rows per table, and texts left for the school."""

    user_id: int
    changed: dict[str, int] = field(default_factory=dict)
    left_in_published_aups: int = 0


Scrubber = Callable[[User, Erased], None]
_SCRUBBERS: list[Scrubber] = []


def scrubber(function: Scrubber) -> Scrubber:
    """Register a function that removes one more kind of a person's records (a decorator)."""
    _SCRUBBERS.append(function)
    return function


def why_not(user: User) -> str | None:
    """Why this person cannot be erased now, or None when they can."""
    if user.erased_at is not None:
        return "already erased"
    if user.active or user.left_at is None:
        return "still active: mark them as having left the school first"
    if held_for_safeguarding(user):
        return SAFEGUARDING_HOLD
    return None


def held_for_safeguarding(user: User) -> bool:
    """Whether a safeguarding record names this person (as a pupil in it or as its writer)."""
    named = sa.union_all(
        sa.select(ReportPupil.id).where(ReportPupil.pupil_id == user.id),
        sa.select(SafeguardingReport.id).where(SafeguardingReport.author_id == user.id),
        sa.select(IncidentEntry.id).where(
            sa.or_(IncidentEntry.pupil_id == user.id, IncidentEntry.author_id == user.id)
        ),
    )
    return db.session.scalar(sa.select(sa.exists(named.subquery().select()))) or False


def erase(user: User, reason: Reason, actor_id: int | None, address: str | None = None) -> Erased:
    """Blank a leaver's identifying fields and their name in free text; log it; no commit.

    Raises Refused for someone still active or already erased. The caller holds the write lock
    (begin_write) and commits, so the erasure and its log line land together or not at all.
    """
    problem = why_not(user)
    if problem:
        raise Refused(problem)
    done = Erased(user.id)
    terms = [t for t in {user.display_name.strip(), user.username.strip()} if len(t) >= 2]
    for function in _SCRUBBERS:
        function(user, done)
    done.changed |= _free_text(terms, f"erased-{user.id}", user.school_id)
    done.left_in_published_aups = _count_in_published(terms)
    _blank_account(user)
    audit.record(
        audit.Event.PERSON_ERASED,
        user.school_id,
        actor_id=actor_id,
        subject_id=user.id,
        detail={"reason": str(Reason(reason))},
        address=address,
    )
    return done


def _blank_account(user: User) -> None:
    """The account's own identifying fields (see the module docstring)."""
    user.username = user.display_name = f"erased-{user.id}"
    user.roster_id = user.password_hash = user.picture_hash = user.locale = None
    user.mfa_secret = user.mfa_enabled_at = user.mfa_last_step = None
    user.must_change_password = user.dsl = user.trust_wide = user.active = False
    user.erased_at = utcnow()


@scrubber
def _sign_in(user: User, done: Erased) -> None:
    """Their sign-in sessions and recovery codes go: nothing in them is needed any more."""
    for model in (LoginSession, MfaRecoveryCode):
        result = db.session.execute(sa.delete(model).where(model.user_id == user.id))
        done.changed[model.__tablename__] = result.rowcount


@scrubber
def _family(user: User, done: Erased) -> None:
    """Parent-child links to or from them go."""
    result = db.session.execute(
        sa.delete(parent_child).where(
            sa.or_(parent_child.c.parent_id == user.id, parent_child.c.child_id == user.id)
        )
    )
    done.changed["parent_child"] = result.rowcount


@scrubber
def _agreement_notes(user: User, done: Erased) -> None:
    """Staff's notes on agreements recorded for them, or under their account, are blanked (the
    record and the day received stay: the note is kept outside the chain for this)."""
    mine = sa.select(Acceptance.id).where(
        sa.or_(Acceptance.on_behalf_of_id == user.id, Acceptance.user_id == user.id),
        Acceptance.recorded_by_id.is_not(None),
    )
    result = db.session.execute(
        sa.update(AcceptanceNote)
        .where(AcceptanceNote.acceptance_id.in_(mine), AcceptanceNote.note != "")
        .values(note="")
    )
    done.changed["acceptance_note"] = result.rowcount


def _pattern(terms: list[str]) -> re.Pattern:
    """Any of the terms as a whole word (not inside a longer name or username), any case."""
    forms = {form for term in terms for form in (term, json.dumps(term)[1:-1])}
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w.\-])(?:{alternatives})(?![\w\-]|\.\w)", re.IGNORECASE)


def _text_columns(table: sa.Table) -> list[sa.Column]:
    """A table's columns that can hold free text (strings and JSON)."""
    return [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)]


def _replace(value, pattern: re.Pattern, replacement: str):
    """The value with every match replaced, walking JSON lists and objects."""
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_replace(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {k: _replace(v, pattern, replacement) for k, v in value.items()}
    return value


def _free_text(terms: list[str], replacement: str, school_id: int) -> dict[str, int]:
    """Replace the terms in every text column of every table but NEVER_SEARCHED; count rows.

    Rows that belong to another school are left alone (someone there may share the name); rows
    of no school (a failed sign-in with an unknown username) and tables without a school are
    searched.
    """
    if not terms:
        return {}
    pattern = _pattern(terms)
    forms = {form for term in terms for form in (term, json.dumps(term)[1:-1])}
    changed: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        columns = _text_columns(table)
        keys = list(table.primary_key.columns)
        if table.name in NEVER_SEARCHED or not columns or not keys:
            continue
        hits = [
            sa.cast(column, sa.Text).icontains(form, autoescape=True)
            for column in columns
            for form in forms
        ]
        query = sa.select(*keys, *columns).where(sa.or_(*hits))
        if "school_id" in table.columns:
            own = table.c.school_id
            query = query.where(sa.or_(own == school_id, own.is_(None)))
        rows = db.session.execute(query).all()
        for row in rows:
            values = row._mapping
            new = {c.name: _replace(values[c.name], pattern, replacement) for c in columns}
            new = {name: value for name, value in new.items() if value != values[name]}
            if not new:
                continue
            where = [key == values[key.name] for key in keys]
            db.session.execute(sa.update(table).where(*where).values(**new))
            changed[table.name] = changed.get(table.name, 0) + 1
    return changed


def _count_in_published(terms: list[str]) -> int:
    """How many of the school's published AUP texts still name them (left for the school)."""
    from app.models.aup import PublishedAup

    if not terms:
        return 0
    pattern = _pattern(terms)
    bodies = db.session.scalars(sa.select(PublishedAup.body))
    return sum(1 for body in bodies if pattern.search(json.dumps(body, ensure_ascii=False)))
