"""The AUP agreement form."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class AgreementForm(FlaskForm):
    """Carries the hash of the exact text shown, so only that text can be accepted."""

    text_hash = HiddenField()
