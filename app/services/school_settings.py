"""A school's own settings: AUP frequency per audience, the school year's start, published AUPs,
and whether teachers sign in with an authenticator app (coordinators and admins always do).

A published AUP is a coordinator's edited copy of an audience's current text under a new version
label, stored in the database and served instead of the file for that school from its effective
date. It is validated and hashed exactly like a file, so acceptances of it prove the same things.
The AUP gate asks for the current AUP on every page, so each school's published versions are
kept in a small per-process cache. With LANTERN_REDIS_URL set, publishing bumps the school's
generation number in Redis and every worker compares it (one GET) before using its copy: a new
version is served by every worker from the moment the publishing request has answered. Without
Redis (one process), or while Redis cannot be reached, another worker's copy may be up to
CACHE_SECONDS old.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError

from app.content import aups
from app.content.aup import DEFAULT_LOCALE, Aup
from app.extensions import db
from app.models import DEFAULT_FREQUENCY, AupSetting, Frequency, School, User
from app.models.aup import PublishedAup
from app.shared import redis_client

CACHE_SECONDS = 30
CACHE_SCHOOLS = 2000  # a process keeps at most this many schools' published AUPs
_CACHE = "lantern.published_aups"
_GENERATION = "lantern:published-aups:{}"
log = logging.getLogger(__name__)


def current_aup(school_id: int, audience: str, locale: str, today: date) -> Aup:
    """The AUP an audience of this school must accept today: its own published one, else the file.

    A school's own version is written in one language, so every locale is shown that text
    (a translation of the file's older version would not be what the school published).
    """
    return _in_effect(school_id, audience, today) or aups().get(audience, locale)


def current_texts(school_id: int, audience: str, today: date) -> frozenset[str]:
    """The text hashes of what current_aup shows an audience today, in every language.

    Accepting any of them is accepting the current text (a translation says the same); an
    acceptance of any other text, even under the same version label, is not.
    """
    published = _in_effect(school_id, audience, today)
    if published:
        return frozenset({published.text_hash})
    return frozenset(a.text_hash for a in aups().all() if a.audience == audience)


def _in_effect(school_id: int, audience: str, today: date) -> Aup | None:
    """The school's own version of an audience's AUP in effect today, or None (the file's)."""
    effective = [a for a in _published(school_id).get(audience, ()) if a.effective <= today]
    return effective[-1] if effective else None


def upcoming(school_id: int, today: date) -> list[Aup]:
    """Published versions whose effective date is still to come."""
    return [a for found in _published(school_id).values() for a in found if a.effective > today]


def _published(school_id: int) -> dict[str, list[Aup]]:
    """A school's published AUPs by audience, oldest effective first, from the process cache."""
    cache = current_app.extensions.setdefault(_CACHE, {})
    generation = _generation(school_id)
    hit = cache.get(school_id)
    if hit and time.monotonic() - hit[0] < CACHE_SECONDS and hit[1] == generation:
        return hit[2]
    rows = db.session.scalars(
        sa.select(PublishedAup)
        .where(PublishedAup.school_id == school_id)
        .order_by(PublishedAup.effective, PublishedAup.id)
    )
    found: dict[str, list[Aup]] = {}
    for row in rows:
        found.setdefault(row.audience, []).append(Aup.model_validate(row.body))
    if len(cache) >= CACHE_SCHOOLS:
        cache.clear()
    cache[school_id] = (time.monotonic(), generation, found)
    return found


def _generation(school_id: int) -> bytes | None:
    """The school's publication count in Redis; None without Redis or while it cannot answer."""
    client = redis_client()
    if client is None:
        return None
    try:
        return client.get(_GENERATION.format(school_id))
    except Exception:  # redis.RedisError, or a timeout: fall back on CACHE_SECONDS
        log.warning("Redis did not answer; published AUPs may be %s s old", CACHE_SECONDS)
        return None


def forget(school_id: int) -> None:
    """Drop a school's cached published AUPs, here and (through Redis) in every other worker."""
    current_app.extensions.setdefault(_CACHE, {}).pop(school_id, None)
    client = redis_client()
    if client is not None:
        try:
            client.incr(_GENERATION.format(school_id))
        except Exception:
            log.warning("Redis did not answer; other workers see the new AUP within %s s",
                        CACHE_SECONDS)  # fmt: skip


@dataclass(frozen=True)
class Draft:
    """What a coordinator typed for a new version of an audience's AUP."""

    audience: str
    version: str
    effective: date
    title: str
    intro: str
    statements: list[str]
    closing: str
    decline_message: str


def draft_from(aup: Aup, today: date) -> Draft:
    """A draft pre-filled with the current text, ready to edit."""
    return Draft(
        aup.audience, "", today, aup.title, aup.intro,
        [s.text for s in aup.statements], aup.closing, aup.decline_message,
    )  # fmt: skip


def publish(school: School, draft: Draft, by: User, today: date) -> tuple[Aup | None, list]:
    """Validate and store a new version: (the AUP, []) or (None, [(field, problem), ...])."""
    base = current_aup(school.id, draft.audience, DEFAULT_LOCALE, today)
    problems = _version_problems(school, draft, base, today)
    icons = [s.icon for s in base.statements]
    body = {
        "format": base.format, "id": base.id, "audience": draft.audience,
        "version": draft.version, "effective": draft.effective.isoformat(),
        "title": draft.title, "intro": draft.intro, "closing": draft.closing,
        "decline_message": draft.decline_message, "locale": DEFAULT_LOCALE,
        "statements": [
            {"text": text, **({"icon": icons[n]} if n < len(icons) and icons[n] else {})}
            for n, text in enumerate(draft.statements)
        ],
    }  # fmt: skip
    try:
        aup = Aup.model_validate(body, context={"audience": draft.audience})
    except ValidationError as error:
        problems += [(str(e["loc"][0]), e["msg"]) for e in error.errors(include_url=False)]
    if problems:
        return None, problems
    db.session.add(
        PublishedAup(
            school_id=school.id,
            audience=draft.audience,
            version=draft.version,
            effective=draft.effective,
            body=body,
            text_hash=aup.text_hash,
            published_by_id=by.id,
        )  # fmt: skip
    )
    db.session.commit()
    forget(school.id)
    return aup, []


def _version_problems(school: School, draft: Draft, base: Aup, today: date) -> list:
    """Why a version label or effective date cannot be used (empty when both are fine)."""
    problems = []
    taken = {base.version, aups().get(draft.audience).version}
    taken |= {a.version for a in _published(school.id).get(draft.audience, ())}
    if draft.version in taken:
        problems.append(("version", _l("This version label is already used; choose a new one.")))
    if draft.effective < today:
        problems.append(("effective", _l("The effective date must be today or later.")))
    return problems


def frequency_for(school_id: int, audience: str) -> Frequency:
    """The school's setting for an audience, or the default (each logon for pupils)."""
    chosen = db.session.scalar(
        sa.select(AupSetting.frequency).where(
            AupSetting.school_id == school_id, AupSetting.audience == audience
        )
    )
    return chosen or DEFAULT_FREQUENCY.get(audience, Frequency.PER_SCHOOL_YEAR)


def frequencies(school: School) -> dict[str, Frequency]:
    """Each audience's AUP frequency at this school (the default where none is chosen)."""
    return {audience: frequency_for(school.id, audience) for audience in aups().audiences()}


def set_frequency(school: School, audience: str, frequency: Frequency) -> None:
    """Choose how often an audience accepts its AUP at this school."""
    if audience not in aups().audiences():
        raise ValueError(f"unknown audience {audience!r}")
    row = db.session.scalar(
        sa.select(AupSetting).where(
            AupSetting.school_id == school.id, AupSetting.audience == audience
        )
    )
    if row is None:
        db.session.add(AupSetting(school_id=school.id, audience=audience, frequency=frequency))
    else:
        row.frequency = frequency
    db.session.commit()


def valid_year_start(day: int, month: int) -> bool:
    """Whether day/month is a date every year has (so never 29 February)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False  # and so no number too large for date() to take (OverflowError)
    try:
        date(2023, month, day)
    except ValueError:
        return False
    return True


def set_year_start(school: School, day: int, month: int) -> None:
    """Set the first day of the school's school year, refusing a date some years lack."""
    if not valid_year_start(day, month):
        raise ValueError(f"{day}/{month} is not a date in every year")
    school.year_start_day, school.year_start_month = day, month
    db.session.commit()


def set_aup_full_every_time(school: School, full: bool) -> None:
    """Whether the school's pupils read their AUP in full at every logon, not its short form."""
    school.aup_full_every_time = full
    db.session.commit()


def set_teacher_mfa(school: School, required: bool) -> None:
    """Whether the school's teachers must sign in with an authenticator app too."""
    school.mfa_for_teachers = required
    db.session.commit()
