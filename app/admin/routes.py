"""The admin's home page: the school's people, ending a user's sessions, resetting their MFA."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.auth.forms import EmptyForm
from app.services import auth, mfa, school_access
from app.services.roster import school_users


@bp.route("/")
def home():
    """Everyone in the admin's school, searchable by name or username."""
    query = request.args.get("q", "").strip()[:80]
    users = school_users(current_user.school_id, query)
    return render_template("admin/home.html", users=users, query=query, form=EmptyForm())


@bp.route("/users/<id:user_id>/end-sessions", methods=["POST"])
def end_sessions(user_id: int):
    """Sign a user out everywhere (a lost device, a shared password)."""
    user = school_access.user_in_school(current_user, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = auth.end_all_sessions(user.id)
    flash(
        _(
            "%(name)s was signed out everywhere (%(n)s sessions ended).",
            name=user.display_name,
            n=count,
        ),
        "success",
    )
    return redirect(url_for("admin.home", q=request.args.get("q", "")), code=303)


@bp.route("/users/<id:user_id>/reset-authenticator", methods=["POST"])
def reset_mfa(user_id: int):
    """Forget someone's authenticator app (a lost phone, no recovery codes left): they set up a
    new one at their next sign-in. Never one's own: another admin, or the command line, does it."""
    user = school_access.user_in_school(current_user, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        abort(403)
    mfa.reset(user)
    flash(
        _(
            "%(name)s's authenticator app was reset and they were signed out: they will set up "
            "a new one when they next sign in.",
            name=user.display_name,
        ),
        "success",
    )
    return redirect(url_for("admin.home", q=request.args.get("q", "")), code=303)
