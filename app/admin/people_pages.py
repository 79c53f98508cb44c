"""The admin's pages for people: new sign-in details for anyone in the school, the year rollover."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from app.admin import bp
from app.auth.forms import EmptyForm
from app.extensions import db
from app.services import people, school_access
from app.teacher.sign_in_cards import no_store, record_reset, show_cards


@bp.route("/people/<id:user_id>/reset", methods=["POST"])
@no_store
def reset_person(user_id: int):
    """Give a pupil or member of staff a new temporary password (or a pupil new pictures)."""
    person = school_access.user_in_school(current_user, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not people.may_reset(current_user, person):
        abort(403)  # themselves (they change their own), or someone who has left
    kind = request.form.get("kind", "")
    if kind not in people.kinds_for(person):
        kind = people.default_kind(person)
    secret = people.reset(person, kind)
    record_reset(secret, "admin")
    db.session.commit()
    return show_cards([secret], back=url_for("admin.home", q=request.args.get("q", "")))
