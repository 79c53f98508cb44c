"""The admin's forms for people and classes by hand."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.models.years import YEARS


def _year_choices() -> list[tuple[str, str]]:
    """Every year group as a choice, Reception first."""
    from app.models.years import year_label

    return [(str(year), year_label(year)) for year in YEARS]


def _role_choices(roles) -> list[tuple[str, str]]:
    """Roles as choices, named as people say them."""
    from app.i18n import ROLE_LABELS

    return [(role.value, ROLE_LABELS[role]) for role in roles]


class NewPersonForm(FlaskForm):
    """One new person: what they are, their name and (for a pupil) their year group."""

    role = SelectField(_l("They are"), validators=[DataRequired()])
    given = StringField(
        _l("First name"), validators=[DataRequired(_l("Type their first name.")), Length(max=60)]
    )
    family = StringField(
        _l("Last name"), validators=[DataRequired(_l("Type their last name.")), Length(max=60)]
    )
    year = SelectField(_l("Year group (pupils only)"), validators=[Optional()])

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices(roles)
        self.year.choices = [("", "-"), *_year_choices()]


class EditPersonForm(FlaskForm):
    """A person's name, and a pupil's year group or a member of staff's role and DSL flag."""

    display_name = StringField(
        _l("Name"), validators=[DataRequired(_l("Type their name.")), Length(max=120)]
    )
    # checked by the view: only a pupil has a year group, only staff a role to change
    year = SelectField(_l("Year group"), validators=[Optional()], validate_choice=False)
    role = SelectField(_l("Role"), validators=[Optional()], validate_choice=False)
    dsl = BooleanField(_l("Member of the safeguarding team (DSL or deputy)"))

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices(roles)
        self.year.choices = _year_choices()


class LinkForm(FlaskForm):
    """The username of a parent (or child) to link."""

    username = StringField(
        _l("Username"), validators=[DataRequired(_l("Type a username.")), Length(max=80)]
    )


class ClassForm(FlaskForm):
    """A class's name and year group."""

    name = StringField(
        _l("Class name"),
        validators=[DataRequired(_l("Type the class's name.")), Length(max=40)],
    )
    year = SelectField(_l("Year group"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = _year_choices()
