"""The anonymous feedback form for a workshop session, its thanks page, and the handout."""

from __future__ import annotations

from flask import abort, render_template, request, url_for

from app.access import open_before_aup, open_to_all
from app.extensions import limiter
from app.htmx import redirect_to
from app.services import workshops as sessions
from app.workshops.forms import FeedbackForm
from app.workshops.lookup import pack_or_404
from app.workshops.public import bp

FEEDBACK_LIMIT = "30 per minute;300 per hour"
"""Per address: a room of parents on the school's Wi-Fi shares one address; a flood does not."""
OPEN_LIMIT = "60 per minute"  # opening the form by code: enough for a room, too slow to guess


@bp.route("/feedback/<code>", methods=["GET", "POST"])
@open_to_all
@limiter.limit(OPEN_LIMIT, methods=["GET"])
@limiter.limit(FEEDBACK_LIMIT, methods=["POST"])
@open_before_aup
def feedback(code: str):
    """The anonymous feedback form parents open from the address on a slide or handout."""
    row, chosen = _by_code_or_404(code)
    form = FeedbackForm()
    typed, errors = {}, {}
    if form.validate_on_submit():
        answers, errors = sessions.check_answers(chosen, request.form)
        if not errors:
            sessions.record_feedback(row, answers)
            return redirect_to(url_for("workshops_public.thanks", code=row.code))
        typed = request.form
    elif request.method == "POST":
        abort(400)
    context = {"row": row, "pack": chosen, "form": form, "typed": typed, "errors": errors}
    return render_template("workshops/feedback.html", **context), 422 if errors else 200


@bp.route("/feedback/<code>/thanks")
@open_to_all
@open_before_aup
def thanks(code: str):
    """Thank the parent; their answers are saved without their name."""
    row, chosen = _by_code_or_404(code)
    return render_template("workshops/thanks.html", row=row, pack=chosen)


@bp.route("/<pack_id>/handout")
@open_to_all
@open_before_aup
def handout(pack_id: str):
    """The printable handout; public, since it is written for parents to take home."""
    chosen = pack_or_404(pack_id)
    session = sessions.session_by_code(request.args.get("code", ""))
    if session is not None and session.pack_id != chosen.id:
        session = None
    return render_template("workshops/handout.html", pack=chosen, session=session)


def _by_code_or_404(code: str):
    """The session and pack a feedback code opens, else 404."""
    row = sessions.session_by_code(code)
    if row is None:
        abort(404)
    return row, pack_or_404(row.pack_id)
