"""Words for a pack's audience and session formats, in the reader's language."""

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

AUDIENCE = {
    "primary": _l("Parents and carers of primary pupils (ages 4 to 11)"),
    "secondary": _l("Parents and carers of secondary pupils (ages 11 to 18)"),
    "all": _l("Parents and carers of children of any age"),
}
FORMATS = {
    "coffee_morning": _l("Coffee morning"),
    "evening": _l("Evening session"),
    "webinar": _l("Webinar"),
}


def labels() -> dict:
    """Template helpers that name an audience and a session format, and write a date."""
    return {
        "audience_label": lambda audience: AUDIENCE[audience],
        "format_label": lambda name: FORMATS[name],
        "long_date": lambda day: format_date(day, "long"),
    }
