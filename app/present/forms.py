"""The small forms at the end of a deck: mark a lesson as taught."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from app.models import SchoolClass


class TaughtForm(FlaskForm):
    """Which class the lesson was taught to, and when (the service checks the date's range)."""

    # ids outside the list are refused by the access check (403/404), not as a bad choice
    class_id = SelectField(_l("Class"), coerce=int, validate_choice=False)
    taught_on = DateField(
        _l("Date taught"),
        validators=[InputRequired(message=_l("Enter the date you taught this lesson."))],
    )

    def offer(self, classes: list[SchoolClass]) -> TaughtForm:
        """Offer these classes in the class list; returns the form."""
        self.class_id.choices = [(c.id, c.name) for c in classes]
        return self
