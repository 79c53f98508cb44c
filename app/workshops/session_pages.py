"""Running a session of a workshop pack and reading what parents said about it (staff)."""

from __future__ import annotations

from flask import Response, abort, render_template, url_for
from flask_login import current_user

from app import auditing
from app.content import workshops
from app.htmx import redirect_to
from app.models import WorkshopSession
from app.services import audit, school_calendar
from app.services import workshops as sessions
from app.workshops import bp
from app.workshops.forms import SessionForm
from app.workshops.lookup import pack_or_404


@bp.route("/<pack_id>/sessions", methods=["POST"])
def start_session(pack_id: str):
    """Run a session of a pack on a date: it gets its own feedback address."""
    chosen = pack_or_404(pack_id)
    form = SessionForm()
    if form.validate_on_submit():
        problem = sessions.date_problem(form.held_on.data, school_calendar.today())
        if problem is None:
            session = sessions.start_session(current_user, chosen, form.held_on.data)
            return redirect_to(url_for("workshops.session", session_id=session.id))
        form.held_on.errors.append(problem)
    return render_template("workshops/pack.html", pack=chosen, form=form), 422


@bp.route("/sessions")
def session_list():
    """The sessions this member of staff may read, with how many parents answered."""
    rows = sessions.sessions_for(current_user)
    counts = sessions.feedback_count([row.id for row in rows])
    return render_template("workshops/sessions.html", rows=rows, counts=counts, title=_title)


@bp.route("/sessions/<id:session_id>")
def session(session_id: int):
    """One session: its feedback address, and what parents said, question by question."""
    row = _session_or_404(session_id)
    chosen = pack_or_404(row.pack_id)
    return render_template(
        "workshops/session.html",
        row=row,
        pack=chosen,
        results=sessions.results(row, chosen),
        feedback_url=url_for("workshops_public.feedback", code=row.code, _external=True),
    )


@bp.route("/sessions/<id:session_id>/feedback.csv")
def session_csv(session_id: int):
    """Every answer to one session's form as a CSV file, one row per parent."""
    row = _session_or_404(session_id)
    text = sessions.feedback_csv(row, pack_or_404(row.pack_id))
    name = f"workshop-feedback-{row.pack_id}-{row.held_on.isoformat()}.csv"
    auditing.note(
        audit.Event.EXPORT,
        row.school_id,
        detail={"export": "workshop_feedback", "session_id": row.id},
    )
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _session_or_404(session_id: int) -> WorkshopSession:
    """A session this member of staff may read, else 404 (another school's id included)."""
    row = sessions.session_for(current_user, session_id)
    if row is None:
        abort(404)
    return row


def _title(pack_id: str) -> str:
    """A session's pack title, or its id if the pack has since been removed."""
    try:
        return workshops().pack(pack_id).title
    except KeyError:
        return pack_id
