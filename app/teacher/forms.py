"""Forms for building modules and setting them for classes and year groups."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.services.assignments import MESSAGE_MAX


class ModuleForm(FlaskForm):
    """A teacher's own module: a title; the lessons are read in the order the page lists them."""

    title = StringField(
        _l("Module title"),
        validators=[DataRequired(_l("Give the module a title.")), Length(max=200)],
    )


class _DueAndMessage(FlaskForm):
    """The optional due date and message of an assignment."""

    due_on = DateField(
        _l("Due date (optional)"),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    message = TextAreaField(
        _l("Message for pupils (optional)"),
        validators=[
            Optional(),
            Length(
                max=MESSAGE_MAX,
                message=_l("Keep the message to %(n)s characters or fewer.", n=MESSAGE_MAX),
            ),
        ],
        render_kw={"rows": 3},
    )


class AssignForm(_DueAndMessage):
    """Set a module for one class or a whole year group."""

    target = SelectField(_l("Set it for"), choices=[], validate_choice=False)


class ChangeForm(_DueAndMessage):
    """Change an assignment's due date and message."""


class WithdrawForm(FlaskForm):
    """Withdraw an assignment (a button with its CSRF token)."""
