"""A sixth former's own photo consent: they give, refuse or withdraw it for each use themselves.

Pupils in Years 12 and 13 decide their own (their parents see the answers, read-only); a
younger pupil's consent is decided by their parent, so this page is refused to them (403).
"""

from __future__ import annotations

from flask import abort, flash, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import Forbidden
from app.extensions import db
from app.htmx import redirect_to
from app.parent.forms import EXPLAINED_OWN, ConsentForm
from app.pupil import bp
from app.services import consent, school_calendar


@bp.route("/photo-consent", methods=["GET", "POST"])
def photo_consent():
    """Give, refuse or withdraw one's own photo consent (sixth form only); every change is kept."""
    if not consent.decides_own(current_user):
        raise Forbidden
    state = consent.current([current_user.id])[current_user.id]
    form = ConsentForm().offer(state)
    if form.is_submitted():
        if not form.validate():
            abort(400)  # only a tampered form can send a choice that is not offered
        changed = [
            consent.decide(current_user, current_user, part, decision)
            for part, decision in form.decisions().items()
        ]
        db.session.commit()
        flash(_message(any(changed)), "success" if any(changed) else "info")
        return redirect_to(url_for("pupil.photo_consent"))
    return render_template(
        "pupil/consent.html",
        form=form,
        state=state,
        parts=consent.PARTS,
        explained=EXPLAINED_OWN,
        history=consent.history(current_user.id),
    )


def _message(changed: bool) -> str:
    """The confirmation shown after saving, with today's date."""
    if not changed:
        return _("Nothing was changed. Your answers are the same as before.")
    saved_on = format_date(school_calendar.today(), "long")
    return _("Thank you. Your photo consent was saved on %(date)s.", date=saved_on)
