"""What the admin's and the coordinator's audit pages share: reading the filters, one page."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from app.ids import parse_id
from app.services import audit

MAX_PAGE = 100_000


def page_number() -> int:
    """The ?page= asked for: 1 unless a sensible whole number was given."""
    try:
        return min(parse_id(request.args.get("page")), MAX_PAGE)
    except ValueError:
        return 1


def log_context(kinds: tuple[audit.Event, ...]) -> dict:
    """The current user's school's events of these kinds, filtered by ?event= and ?person=."""
    event = request.args.get("event", "")
    event = event if event in {str(k) for k in kinds} else ""
    username = request.args.get("person", "").strip()[:80]
    person = audit.person_in_school(current_user.school_id, username) if username else None
    if username and person is None:
        found = audit.Page([], 1, False)
    else:
        found = audit.events_page(
            current_user.school_id,
            kinds,
            event=event or None,
            person_id=person.id if person else None,
            number=page_number(),
        )
    return {
        "kinds": kinds,
        "found": found,
        "event": event,
        "person": username,
        "person_found": person,
        "filters": {k: v for k, v in (("event", event), ("person", username)) if v},
    }
