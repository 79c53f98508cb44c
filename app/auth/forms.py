"""Sign-in and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.services.auth import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(
        _l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=80)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)]
    )
    next = HiddenField()


class ClassCodeForm(FlaskForm):
    """The class code a KS1 teacher shows on the board."""

    code = StringField(
        _l("Class code"),
        validators=[DataRequired(_l("Type the class code from the board.")), Length(max=16)],
    )


def _new_password(label) -> PasswordField:
    """A password someone chooses: required, at least MIN_PASSWORD_LENGTH characters."""
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Choose a new password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )


def _password_again() -> PasswordField:
    """The chosen password typed again; it must match the form's `password` field."""
    return PasswordField(
        _l("Type it again"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
    )


class NewPasswordForm(FlaskForm):
    """Choosing one's own password: the current one first, unless it is a temporary one."""

    current = PasswordField(_l("Current password"), validators=[Length(max=200)])
    password = _new_password(_l("New password"))
    confirm = _password_again()


class EmptyForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change something."""


class MfaCodeForm(FlaskForm):
    """A six-digit code from an authenticator app, or (at sign-in) a recovery code."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Type the code.")), Length(max=40)])


class ParentCodeForm(FlaskForm):
    """A parent letter's code, and the parent's name and own password for their new account."""

    code = StringField(
        _l("Code from the letter"),
        validators=[DataRequired(_l("Type the code printed on the letter.")), Length(max=40)],
    )
    given = StringField(
        _l("Your first name"),
        validators=[DataRequired(_l("Type your first name.")), Length(max=60)],
    )
    family = StringField(
        _l("Your last name"),
        validators=[DataRequired(_l("Type your last name.")), Length(max=60)],
    )
    password = _new_password(_l("Choose a password"))
    confirm = _password_again()


class LinkChildForm(FlaskForm):
    """A parent letter's code, typed by a parent who already has an account."""

    code = StringField(
        _l("Code from the letter"),
        validators=[DataRequired(_l("Type the code printed on the letter.")), Length(max=40)],
    )
