"""Which form of a pupil's AUP to show: the short form at most logons, the full text when due.

The full text is shown when the AUP has no short form (adults' AUPs, a version a school published
itself), when the school chose "full text every time", when the pupil has never agreed to this
text in full (a new version, or changed wording), and on the first logon of each term (no full
agreement since the term began). A pupil can also ask for the full text at any time (the view).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa

from app.content.aup import Aup
from app.extensions import db
from app.models import Acceptance, User
from app.services import school_calendar, school_settings

FULL, SHORT = "full", "short"


class Why(enum.StrEnum):
    """Why the full text is shown instead of the short form."""

    NO_SHORT_FORM = "no_short_form"
    SCHOOL_CHOICE = "school_choice"
    NEW_TEXT = "new_text"
    NEW_TERM = "new_term"


def last_full_agreement(user: User, aup: Aup, today: date) -> datetime | None:
    """When user last agreed to this text (or its translation) having been shown it in full."""
    texts = school_settings.current_texts(user.school_id, aup.audience, today)
    texts = texts if aup.text_hash in texts else {aup.text_hash}
    return db.session.scalar(
        sa.select(sa.func.max(Acceptance.accepted_at)).where(
            Acceptance.user_id == user.id,
            Acceptance.on_behalf_of_id.is_(None),
            Acceptance.text_hash.in_(sorted(texts)),
            Acceptance.form == FULL,
        )
    )


def why_full(user: User, aup: Aup, today: date) -> Why | None:
    """Why user must be shown aup's full text today, or None when the short form will do."""
    if aup.short is None:
        return Why.NO_SHORT_FORM
    if user.school.aup_full_every_time:
        return Why.SCHOOL_CHOICE
    latest = last_full_agreement(user, aup, today)
    if latest is None:
        return Why.NEW_TEXT
    term = school_calendar.term_of(user.school, today)
    if latest < school_calendar.midnight(term.start):
        return Why.NEW_TERM
    return None
