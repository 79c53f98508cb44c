"""The photo-consent form: one Give / Refuse (or Withdraw) choice for each part.

Parents use it for a child up to Year 11, and sixth formers for themselves (app/pupil).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import Optional

from app.models import ConsentDecision, ConsentPart, PhotoConsent
from app.services.consent import PARTS, inherited, is_given

LABELS = {
    ConsentPart.IN_SCHOOL: _l("Photos and videos used inside school"),
    ConsentPart.WEBSITE: _l("Photos and videos on the school website"),
    ConsentPart.SOCIAL_MEDIA: _l("Photos and videos on the school's social media"),
    ConsentPart.PRESS: _l("Photos and videos in the press"),
}
EXPLAINED = {
    ConsentPart.IN_SCHOOL: _l(
        "Staff may take photos or short videos of your child in school, for example of their "
        "work, on classroom displays or in their learning record. These stay inside the school."
    ),
    ConsentPart.WEBSITE: _l(
        "The school may put photos or videos of your child on its public website, for example "
        "of a school trip or a performance. Anyone can see the website."
    ),
    ConsentPart.SOCIAL_MEDIA: _l(
        "The school may post photos or videos of your child on its own social media accounts. "
        "Posts can be shared by others, and copies may stay online after the school removes them."
    ),
    ConsentPart.PRESS: _l(
        "The school may give photos of your child to local newspapers, magazines or broadcasters, "
        "or let them take their own, for example of a sports win. The school does not control "
        "how long they keep them."
    ),
}
EXPLAINED_OWN = {
    ConsentPart.IN_SCHOOL: _l(
        "Staff may take photos or short videos of you in school, for example of your work, on "
        "displays or in your learning record. These stay inside the school."
    ),
    ConsentPart.WEBSITE: _l(
        "The school may put photos or videos of you on its public website, for example of a "
        "trip or a performance. Anyone can see the website."
    ),
    ConsentPart.SOCIAL_MEDIA: _l(
        "The school may post photos or videos of you on its own social media accounts. Posts "
        "can be shared by others, and copies may stay online after the school removes them."
    ),
    ConsentPart.PRESS: _l(
        "The school may give photos of you to local newspapers, magazines or broadcasters, or "
        "let them take their own. The school does not control how long they keep them."
    ),
}
"""What each part means, said to a sixth former deciding for themself."""


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
    """Photo consent for one pupil, each part on its own; an unanswered part is left as it is."""

    # a part left unanswered is sent as nothing; whitespace is not "nothing" but a choice that is
    # not offered, so Optional must not strip it (it would clear the "not a valid choice" error)
    in_school = RadioField(
        LABELS[ConsentPart.IN_SCHOOL], validators=[Optional(strip_whitespace=False)]
    )
    website = RadioField(LABELS[ConsentPart.WEBSITE], validators=[Optional(strip_whitespace=False)])
    social_media = RadioField(
        LABELS[ConsentPart.SOCIAL_MEDIA], validators=[Optional(strip_whitespace=False)]
    )
    press = RadioField(LABELS[ConsentPart.PRESS], validators=[Optional(strip_whitespace=False)])

    def offer(self, state: dict[ConsentPart, PhotoConsent | None]) -> ConsentForm:
        """Set each part's choices and its current answer from the child's consent state.

        A use that has only the old answer for all publications is not ticked: that answer
        is shown beside it, and stays until the use gets an answer of its own.
        """
        for part in PARTS:
            field = self[part.value]
            field.choices = choices(state[part])
            if field.data is None and state[part] is not None and not inherited(state[part], part):
                field.data = "given" if is_given(state[part]) else ConsentDecision.REFUSED.value
        return self

    def decisions(self) -> dict[ConsentPart, ConsentDecision]:
        """The parts the parent answered, with their decisions."""
        answered = {part: self[part.value].data for part in PARTS}
        return {part: ConsentDecision(value) for part, value in answered.items() if value}
