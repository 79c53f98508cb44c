"""The AUP agreement form."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, Optional

from app.services.aup_form import FULL, SHORT


class AgreementForm(FlaskForm):
    """Carries the hashes of the exact text and form shown, so only that text can be accepted."""

    text_hash = HiddenField()
    form = HiddenField(validators=[Optional(), AnyOf([FULL, SHORT])])
    form_hash = HiddenField()
