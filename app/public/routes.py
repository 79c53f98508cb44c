"""The front door sends each role home; the language switch; a health check; the guest page."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from app.access import allow, open_before_aup, open_to_all, safe_next
from app.auth.forms import EmptyForm
from app.extensions import db
from app.models import Role
from app.public import bp

HOME = {
    Role.PUPIL: "pupil.home",
    Role.TEACHER: "teacher.home",
    Role.COORDINATOR: "coordinator.home",
    Role.ADMIN: "admin.home",
    Role.PARENT: "parent.home",
    Role.VISITOR: "public.guest",
}


@bp.route("/")
@open_to_all
def home():
    """Send a signed-in user to their role's home page, anyone else to sign in."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME[current_user.role]))


@bp.route("/language", methods=["POST"])
@open_to_all
@open_before_aup
def language():
    """Switch the language for this browser (and the signed-in user's account)."""
    form = EmptyForm()
    choice = request.form.get("lang")
    if not form.validate_on_submit() or choice not in current_app.config["LANTERN_LOCALES"]:
        abort(400)
    session["lang"] = choice
    if current_user.is_authenticated:
        current_user.locale = choice
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("public.home"), code=303)


@bp.route("/health")
@open_to_all
@open_before_aup
def health():
    """For the load balancer: the app is up and its database answers."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/guest")
@allow(Role.VISITOR)
def guest():
    """Home page for a visitor or guest on the school network."""
    return render_template("public/guest.html")
