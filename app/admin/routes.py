"""The admin's home page: the school's people, and ending a user's sessions."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.auth.forms import EmptyForm
from app.services import auth, school_access
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
