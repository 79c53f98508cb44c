"""The photo-consent form: one Give / Refuse (or Withdraw) choice for each part."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import Optional

from app.models import ConsentDecision, ConsentPart, PhotoConsent
from app.services.consent import is_given

LABELS = {
    ConsentPart.IN_SCHOOL: _l("Photos and videos used inside school"),
    ConsentPart.PUBLICATIONS: _l("Photos and videos used outside school"),
}
EXPLAINED = {
    ConsentPart.IN_SCHOOL: _l(
        "Staff may take photos or short videos of your child in school, for example of their "
        "work, on classroom displays or in their learning record. These stay inside the school."
    ),
    ConsentPart.PUBLICATIONS: _l(
        "The school may use photos or videos of your child where the public can see them, for "
        "example on the school website, in newsletters or in the local press. We never publish "
        "your child's full name with a photo."
    ),
}


def choices(now: PhotoConsent | None) -> list[tuple[str, str]]:
    """Give and Refuse; once consent is given, Keep and Withdraw instead."""
    if is_given(now):
        return [
            (ConsentDecision.GIVEN.value, _l("Yes, I still give consent")),
            (ConsentDecision.WITHDRAWN.value, _l("No, I withdraw my consent")),
        ]
    return [
        (ConsentDecision.GIVEN.value, _l("Yes, I give consent")),
        (ConsentDecision.REFUSED.value, _l("No, I do not give consent")),
    ]


class ConsentForm(FlaskForm):
    """A parent's photo consent for one child; an unanswered part is left as it is."""

    # a part left unanswered is sent as nothing; whitespace is not "nothing" but a choice that is
    # not offered, so Optional must not strip it (it would clear the "not a valid choice" error)
    in_school = RadioField(
        LABELS[ConsentPart.IN_SCHOOL], validators=[Optional(strip_whitespace=False)]
    )
    publications = RadioField(
        LABELS[ConsentPart.PUBLICATIONS], validators=[Optional(strip_whitespace=False)]
    )

    def offer(self, state: dict[ConsentPart, PhotoConsent | None]) -> ConsentForm:
        """Set each part's choices and its current answer from the child's consent state."""
        for part in state:
            field = self[part.value]
            field.choices = choices(state[part])
            if field.data is None and state[part] is not None:
                field.data = "given" if is_given(state[part]) else ConsentDecision.REFUSED.value
        return self

    def decisions(self) -> dict[ConsentPart, ConsentDecision]:
        """The parts the parent answered, with their decisions."""
        answered = {part: self[part.value].data for part in ConsentPart}
        return {part: ConsentDecision(value) for part, value in answered.items() if value}
