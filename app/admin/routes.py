"""The admin's pages: the school's people, ending a user's sessions, the security log."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.audit_pages import log_context
from app.auth.forms import EmptyForm
from app.services import audit, auth, school_access
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
    audit.record(
        audit.Event.SESSIONS_ENDED,
        user.school_id,
        actor_id=current_user.id,
        subject_id=user.id,
        address=request.remote_addr,
    )
    count = auth.end_all_sessions(user.id)  # commits the record with the sessions it ends
    flash(
        _(
            "%(name)s was signed out everywhere (%(n)s sessions ended).",
            name=user.display_name,
            n=count,
        ),
        "success",
    )
    return redirect(url_for("admin.home", q=request.args.get("q", "")), code=303)


@bp.route("/audit")
def audit_log():
    """The school's security events, newest first, by event and person; printable.

    Reading this page is not itself recorded: it shows no child's record, only sign-ins,
    passwords and exports, and the admin is the person this log is kept for; a row for every
    look would bury the events it is there to show. (The coordinator's audit page, which names
    whose consent records were read, is recorded, and shows here.)
    """
    return render_template("admin/audit.html", **log_context(audit.SECURITY))
