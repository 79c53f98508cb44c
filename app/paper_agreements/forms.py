"""The form for entering returned paper slips (or calls) for a class."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from app.models import Method
from app.services import school_calendar

OLDEST_SLIP_DAYS = 366
"""How far back a date received may be: a slip is for the current version, so within a year."""

NOTE_MAX = 500

RECEIVED_MISSING = _l("Enter the date the slips or calls reached the school.")

CHOICE_LABELS = {
    Method.PAPER: _l("Paper slip"),
    Method.PHONE: _l("Phone call"),
    Method.EMAIL: _l("Email"),
    Method.IN_PERSON: _l("In person"),
}
"""The methods as the form offers them (the reports' marking uses compliance.METHOD_LABELS)."""


class OnBehalfForm(FlaskForm):
    """How the agreements were obtained, when they reached the school, and a note."""

    method = RadioField(
        _l("How the parents or carers agreed"),
        choices=[SelectChoice(m.value, CHOICE_LABELS[m]) for m in Method],
        default=Method.PAPER.value,
        validators=[InputRequired(_l("Choose how the parents or carers agreed."))],
    )
    received_on = DateField(
        _l("Date received"),
        validators=[InputRequired(RECEIVED_MISSING)],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Length(max=NOTE_MAX)],
        filters=[lambda text: (text or "").strip()],
    )

    def validate_received_on(self, field) -> None:
        """A real date (one message, ours, for anything else), not in the future, and not more
        than a year ago."""
        if field.data is None:
            field.errors.clear()
            raise StopValidation(RECEIVED_MISSING)
        today = school_calendar.today()
        if field.data > today:
            raise ValidationError(_l("The date received cannot be in the future."))
        if field.data < today - timedelta(days=OLDEST_SLIP_DAYS):
            raise ValidationError(_l("The date received must be within the last year."))
