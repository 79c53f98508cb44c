"""Recording in the security log what the signed-in user just did, from this request.

Views call note(); it fills in who (the signed-in user) and from where (the request's address)
once, so each view says only what happened, to whom and in which school.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user

from app.services import audit


def note(
    event: audit.Event,
    school_id: int | None,
    *,
    subject_id: int | None = None,
    detail: dict | None = None,
    commit: bool = True,
) -> None:
    """Record event by the signed-in user; commit at once, or (commit=False) with the caller."""
    fields = {
        "actor_id": current_user.id,
        "subject_id": subject_id,
        "detail": detail,
        "address": request.remote_addr,
    }
    if commit:
        audit.write(event, school_id, **fields)
    else:
        audit.record(event, school_id, **fields)
