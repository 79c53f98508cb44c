"""The coordinator's school settings forms: AUP frequency, school year start, new AUP version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.models import Frequency
from app.services.school_settings import valid_year_start

MONTH_NAMES = (
    _l("January"), _l("February"), _l("March"), _l("April"), _l("May"), _l("June"),
    _l("July"), _l("August"), _l("September"), _l("October"), _l("November"), _l("December"),
)  # fmt: skip


def _months() -> list[SelectChoice]:
    """The twelve months as choices, numbered 1 to 12."""
    return [SelectChoice(str(n), name) for n, name in enumerate(MONTH_NAMES, start=1)]


def frequency_form(audiences: dict[str, str], labels: dict, data: dict | None = None) -> FlaskForm:
    """A form with one frequency choice per audience (audience -> its AUP's title)."""

    class FrequencyForm(FlaskForm):
        """How often each audience accepts its AUP."""

    choices = [SelectChoice(f.value, labels[f]) for f in Frequency]
    for audience, title in audiences.items():
        field = SelectField(title, choices=choices, validators=[DataRequired()])
        setattr(FrequencyForm, f"freq_{audience}", field)
    return FrequencyForm(data=data)


class YearStartForm(FlaskForm):
    """The first day of the school year."""

    day = IntegerField(
        _l("Day"),
        validators=[
            InputRequired(_l("Enter the day of the month, 1 to 31.")),
            NumberRange(1, 31, _l("Enter the day of the month, 1 to 31.")),
        ],
    )
    month = SelectField(_l("Month"), choices=_months, coerce=int)

    def validate_day(self, field) -> None:
        """Refuse a date that does not exist every year, such as 31 September or 29 February."""
        month = self.month.data
        if field.errors or month not in range(1, 13):
            return  # the day's range and the month's choice have each said what is wrong
        if not valid_year_start(field.data, month):
            raise ValidationError(
                _l("That date is not in every year. Choose a day this month always has.")
            )


class AupFormForm(FlaskForm):
    """Whether pupils read their AUP's full text at every logon instead of its short form."""

    full_every_time = BooleanField(_l("Show pupils the whole agreement at every sign-in"))


class TeacherMfaForm(FlaskForm):
    """Whether teachers sign in with an authenticator app as well as their password."""

    required = BooleanField(_l("Teachers sign in with an authenticator app too"))


class PublishForm(FlaskForm):
    """A new version of one audience's AUP, edited from the current text."""

    version = StringField(
        _l("New version label"),
        validators=[DataRequired(_l("Give the new version a label, for example 2026.1.")),
                    Length(max=30)],
    )  # fmt: skip
    effective = DateField(
        _l("Takes effect on"), validators=[InputRequired(_l("Enter the date it takes effect."))]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    intro = TextAreaField(_l("Introduction"), validators=[DataRequired(), Length(max=2000)])
    statements = TextAreaField(
        _l("Statements, one per line"), validators=[DataRequired(), Length(max=6000)]
    )
    closing = TextAreaField(_l("Closing words"), validators=[DataRequired(), Length(max=2000)])
    decline_message = TextAreaField(
        _l("What someone who does not agree is told"),
        validators=[DataRequired(), Length(max=2000)],
    )
