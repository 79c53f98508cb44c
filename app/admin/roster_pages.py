"""The admin's roster pages: download the template, upload an export, read the preview, apply.

The uploaded file waits in the database (app/rostering/uploads.py), not on one server's disk,
so the preview and Apply may be served by different app servers. Nothing changes until Apply,
and Apply checks the file again against the school as it is then.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from app import auditing
from app.admin import bp
from app.auth.forms import EmptyForm
from app.extensions import db
from app.models import Role
from app.rostering import apply_plan, prepare, simple, uploads
from app.rostering.apply import SHOWN
from app.rostering.files import RosterFiles, UnreadableUpload
from app.rostering.records import FORMAT_NAMES
from app.services import audit

PROBLEMS_SHOWN = 200
"""Problems listed on the page; the count above them is always the whole number."""


class RosterForm(FlaskForm):
    """The roster file to upload."""

    roster = FileField(
        _l("Roster file (zip or CSV)"),
        validators=[FileRequired(message=_l("Choose the roster file to upload."))],
    )


@bp.url_value_preprocessor
def _roster_upload_limit(endpoint: str | None, _values: dict | None) -> None:
    """A roster upload may be bigger than any other request (set before CSRF reads the body)."""
    if endpoint == "admin.roster_upload":
        request.max_content_length = current_app.config["LANTERN_ROSTER_UPLOAD_MB"] * 1024 * 1024


@bp.errorhandler(413)
def _too_big(error):
    """A roster file over the limit: the admin's roster page says what the limit is.

    Anything else too big (another admin form, or someone not signed in as an admin) gets the
    usual error page.
    """
    from app.security import _error_page

    is_admin = current_user.is_authenticated and current_user.role is Role.ADMIN
    if request.endpoint != "admin.roster_upload" or not is_admin:
        return _error_page(error)
    limit = current_app.config["LANTERN_ROSTER_UPLOAD_MB"]
    message = _(
        "That file is larger than %(mb)s MB, the most Lantern takes here. Send it as a zip, or "
        "ask your IT support to run the import from the command line.",
        mb=limit,
    )
    return _page(RosterForm(formdata=None), upload_error=message), 413


def _page(form: RosterForm, **extra):
    """The roster page: how to import, the template, the upload form (and any problems)."""
    return render_template(
        "admin/roster.html",
        form=form,
        limit_mb=current_app.config["LANTERN_ROSTER_UPLOAD_MB"],
        shown=PROBLEMS_SHOWN,
        **extra,
    )


@bp.get("/roster")
def roster():
    """How a school's people and classes come in from its MIS, and the upload form."""
    return _page(RosterForm())


@bp.get("/roster/template.csv")
def roster_template():
    """Lantern's CSV template: its header and an example row of each kind."""
    response = Response("\ufeff" + simple.template(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{simple.FILE_NAME}"'
    return response


@bp.post("/roster")
def roster_upload():
    """Check an uploaded roster whole; keep it for the preview only if it has no problems."""
    form = RosterForm()
    if not form.validate_on_submit():
        return _page(form), 400
    storage = form.roster.data
    content, filename = storage.read(), storage.filename or "roster.csv"
    school = current_user.school
    try:
        roster, plan = prepare(school.id, RosterFiles.from_bytes(content, filename), school.urn)
    except UnreadableUpload:
        message = _("That file is neither a CSV file nor a zip Lantern can open.")
        return _page(form, upload_error=message), 422
    if plan is None:
        return _page(form, problems=roster.problems, filename=filename), 422
    upload = uploads.keep(current_user, filename, content)
    upload_id = upload.id
    db.session.commit()
    return redirect(url_for("admin.roster_preview", upload_id=upload_id), code=303)


def _prepared(upload_id: int):
    """An upload of this school, read and compared with the school as it is now."""
    upload = uploads.for_user(current_user, upload_id)
    school = current_user.school
    files = RosterFiles.from_bytes(upload.content, upload.filename)
    roster, plan = prepare(school.id, files, school.urn)
    return upload, roster, plan


@bp.get("/roster/<id:upload_id>")
def roster_preview(upload_id: int):
    """What applying the upload would change: added, updated (and what), left."""
    upload, roster, plan = _prepared(upload_id)
    if plan is None:
        return _page(RosterForm(), problems=roster.problems, filename=upload.filename), 422
    return render_template(
        "admin/roster_preview.html",
        upload=upload,
        plan=plan,
        counts=plan.counts(),
        format_name=FORMAT_NAMES[roster.format],
        shown=SHOWN,
        form=EmptyForm(),
    )


@bp.post("/roster/<id:upload_id>/apply")
def roster_apply(upload_id: int):
    """Apply the upload: people and classes changed in one transaction, then the upload goes."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("admin.roster_preview", upload_id=upload_id), code=303)
    upload, roster, plan = _prepared(upload_id)
    if plan is None:
        return _page(RosterForm(), problems=roster.problems, filename=upload.filename), 422
    apply_plan(plan)
    counts = plan.counts()
    auditing.note(
        audit.Event.ROSTER_IMPORTED,
        current_user.school_id,
        detail={"added": counts["added"], "updated": counts["updated"], "left": counts["left"],
                "format": roster.format, "method": "admin"},
        commit=False,
    )  # fmt: skip
    uploads.forget(upload)
    db.session.commit()
    flash(
        _(
            "The roster was imported: %(added)s added, %(updated)s updated, %(left)s left.",
            added=counts["added"],
            updated=counts["updated"],
            left=counts["left"],
        ),
        "success",
    )
    return redirect(url_for("admin.roster"), code=303)


@bp.post("/roster/<id:upload_id>/cancel")
def roster_cancel(upload_id: int):
    """Forget an upload without applying it."""
    if EmptyForm().validate_on_submit():
        uploads.forget(uploads.for_user(current_user, upload_id))
        db.session.commit()
        flash(_("The upload was discarded: nothing was changed."), "success")
    return redirect(url_for("admin.roster"), code=303)
