"""Forms for workshops: running a session, and the CSRF-protected feedback form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import InputRequired


class SessionForm(FlaskForm):
    """When the session is held; the service checks the date's range."""

    held_on = DateField(
        _l("Date of the session"),
        validators=[InputRequired(message=_l("Enter the date of the session."))],
    )


class FeedbackForm(FlaskForm):
    """The feedback form's CSRF token; the answers, one field per question, the service checks."""
