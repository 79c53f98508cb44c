"""The admin's pages: people, ending sessions, resetting MFA, subject access, the security log."""

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import auditing
from app.admin import bp
from app.audit_pages import log_context
from app.auth.forms import EmptyForm
from app.models import utcnow
from app.services import audit, auth, mfa, school_access, subject_access
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
    auditing.note(
        audit.Event.SESSIONS_ENDED,
        user.school_id,
        subject_id=user.id,
        commit=False,
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


@bp.route("/people/<id:user_id>/subject-access")
def subject_access_page(user_id: int):
    """Everything Lantern holds about one person, as pages to print (a subject access request)."""
    person = school_access.user_in_school(current_user, user_id)
    held = subject_access.collect(person, utcnow().replace(microsecond=0))
    _note_subject_access(person, "print")
    return render_template(
        "admin/subject_access.html", person=person, held=held, sections=subject_access.SECTIONS
    )


@bp.route("/people/<id:user_id>/subject-access.json")
def subject_access_json(user_id: int):
    """The same as a JSON file to download, machine-readable (UK GDPR Art. 15(3))."""
    person = school_access.user_in_school(current_user, user_id)
    now = utcnow().replace(microsecond=0)
    held = subject_access.collect(person, now)
    _note_subject_access(person, "json")
    body = json.dumps(held, ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    name = subject_access.filename(person, now.date())
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _note_subject_access(person, form: str) -> None:
    """A subject access export is an export of one person's data: the security log keeps it."""
    auditing.note(
        audit.Event.EXPORT,
        current_user.school_id,
        subject_id=person.id,
        detail={"export": f"subject_access_{form}"},
    )


@bp.route("/audit")
def audit_log():
    """The school's security events, newest first, by event and person; printable.

    Reading this page is not itself recorded: it shows no child's record, only sign-ins,
    passwords and exports, and the admin is the person this log is kept for; a row for every
    look would bury the events it is there to show. (The coordinator's audit page, which names
    whose consent records were read, is recorded, and shows here.)
    """
    return render_template("admin/audit.html", **log_context(audit.SECURITY))


@bp.route("/users/<id:user_id>/reset-authenticator", methods=["POST"])
def reset_mfa(user_id: int):
    """Forget someone's authenticator app (a lost phone, no recovery codes left): they set up a
    new one at their next sign-in. Never one's own: another admin, or the command line, does it."""
    user = school_access.user_in_school(current_user, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        abort(403)
    mfa.reset(user, by=current_user, address=request.remote_addr)
    flash(
        _(
            "%(name)s's authenticator app was reset and they were signed out: they will set up "
            "a new one when they next sign in.",
            name=user.display_name,
        ),
        "success",
    )
    return redirect(url_for("admin.home", q=request.args.get("q", "")), code=303)
