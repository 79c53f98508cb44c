"""The safeguarding forms: a pupil's worry, a staff concern, and one line of an incident."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.services import safeguarding as sg


class WorryForm(FlaskForm):
    """What a pupil's worry is about, and (if they like) their own words."""

    about = RadioField(
        _l("What is it about?"),
        choices=lambda: [SelectChoice(key, label) for key, label in sg.WORRY_ABOUT.items()],
        validators=[DataRequired(_l("Choose what it is about."))],
    )
    text = TextAreaField(
        _l("Tell us more if you want to (you do not have to)"),
        validators=[Optional(), Length(max=sg.TEXT_MAX)],
    )


class TalkForm(FlaskForm):
    """A KS1 pupil's one tap: "I want to talk to my teacher"; nothing but the button."""


class ConcernForm(FlaskForm):
    """A staff member's concern about one or more pupils, in a few short fields."""

    pupils = SelectMultipleField(
        _l("Which pupil or pupils?"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one pupil."))],
    )
    text = TextAreaField(
        _l("What happened? Use the child's own words where you can."),
        validators=[DataRequired(_l("Say what happened.")), Length(max=sg.TEXT_MAX)],
    )
    happened = StringField(
        _l("When did it happen?"), validators=[Optional(), Length(max=sg.SHORT_MAX)]
    )
    platform = StringField(
        _l("Platform, app or game"), validators=[Optional(), Length(max=sg.SHORT_MAX)]
    )
    action_taken = TextAreaField(
        _l("What did you do straight away?"), validators=[Optional(), Length(max=sg.TEXT_MAX)]
    )


class EntryForm(FlaskForm):
    """One line of an incident: the kind says which of the other fields count (the service
    checks them, so every kind's form posts here)."""

    kind = StringField(validators=[DataRequired()])
    value = StringField(validators=[Optional()])
    text = TextAreaField(validators=[Optional()])
    pupil = StringField(validators=[Optional()])
    corrects = StringField(validators=[Optional()])


class PickForm(FlaskForm):
    """A choice of one thing by id or code (an incident to add a report to, a lesson to set)."""

    choice = StringField(validators=[DataRequired()])


class SanctionForm(FlaskForm):
    """A change to a sanctions matrix: add one (audience, label), or hide or show one (choice)."""

    action = StringField(validators=[DataRequired()])
    audience = StringField(validators=[DataRequired()])
    choice = StringField(validators=[Optional()])
    label = StringField(validators=[Optional(), Length(max=sg.SHORT_MAX)])
