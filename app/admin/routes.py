"""The admin's home page: the school's people, ending a user's sessions, subject access."""

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.auth.forms import EmptyForm
from app.models import utcnow
from app.services import auth, school_access, subject_access
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


@bp.route("/people/<id:user_id>/subject-access")
def subject_access_page(user_id: int):
    """Everything Lantern holds about one person, as pages to print (a subject access request)."""
    person = school_access.user_in_school(current_user, user_id)
    held = subject_access.collect(person, utcnow().replace(microsecond=0))
    return render_template(
        "admin/subject_access.html", person=person, held=held, sections=subject_access.SECTIONS
    )


@bp.route("/people/<id:user_id>/subject-access.json")
def subject_access_json(user_id: int):
    """The same as a JSON file to download, machine-readable (UK GDPR Art. 15(3))."""
    person = school_access.user_in_school(current_user, user_id)
    now = utcnow().replace(microsecond=0)
    held = subject_access.collect(person, now)
    body = json.dumps(held, ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    name = subject_access.filename(person, now.date())
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
