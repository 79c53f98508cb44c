"""Workshop packs for staff: the list, facilitator notes and slides."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.content import workshops
from app.content.workshops import Pack
from app.ids import parse_id
from app.models import WorkshopSession
from app.present.deck import Slide, fragment, render_deck, render_notes
from app.services import school_calendar
from app.services import workshops as sessions
from app.workshops import bp
from app.workshops.forms import SessionForm
from app.workshops.lookup import pack_or_404


@bp.route("/")
def index():
    """Every workshop pack, with its audience, formats and length."""
    return render_template("workshops/index.html", packs=workshops().packs())


@bp.route("/<pack_id>")
def pack(pack_id: str):
    """A pack's facilitator notes, with links to present, print and run a session."""
    form = SessionForm(held_on=school_calendar.today())
    return render_template("workshops/pack.html", pack=pack_or_404(pack_id), form=form)


@bp.route("/<pack_id>/slides")
def slides(pack_id: str):
    """Start presenting a pack at its first slide."""
    return redirect(url_for("workshops.slide", pack_id=pack_or_404(pack_id).id, n=1))


@bp.route("/<pack_id>/slides/<int:n>")
def slide(pack_id: str, n: int):
    """One slide on the screen; from a session, the last slide shows its feedback address."""
    chosen, session = pack_or_404(pack_id), _session_arg(pack_id)
    extra = {"session": session.id} if session else {}
    actions = fragment("workshops/_feedback_address.html", session=session) if session else None
    return render_deck(
        title=chosen.title, slides=deck_slides(chosen), index=n,
        slide_url=lambda i: url_for("workshops.slide", pack_id=chosen.id, n=i, **extra),
        notes_url=url_for("workshops.notes", pack_id=chosen.id, n=n, **extra),
        exit_url=url_for("workshops.pack", pack_id=chosen.id),
        actions=actions, actions_label=_("Feedback address") if session else None,
    )  # fmt: skip


@bp.route("/<pack_id>/slides/<int:n>/notes")
def notes(pack_id: str, n: int):
    """The speaker's notes for one slide, for a second window."""
    chosen, session = pack_or_404(pack_id), _session_arg(pack_id)
    extra = {"session": session.id} if session else {}
    return render_notes(
        title=chosen.title, slides=deck_slides(chosen), index=n,
        notes_url=lambda i: url_for("workshops.notes", pack_id=chosen.id, n=i, **extra),
        slide_url=lambda i: url_for("workshops.slide", pack_id=chosen.id, n=i, **extra),
    )  # fmt: skip


def deck_slides(chosen: Pack) -> list[Slide]:
    """A pack's slides for the deck: paragraphs and points on screen, notes apart."""
    return [
        Slide(title=s.title, body=fragment("workshops/_slide.html", slide=s), notes=s.notes)
        for s in chosen.slides
    ]


def _session_arg(pack_id: str) -> WorkshopSession | None:
    """The session named in ?session=, if this member of staff may see it and it runs this pack."""
    session_id = request.args.get("session", type=parse_id)
    if session_id is None:
        return None
    session = sessions.session_for(current_user, session_id)
    if session is None or session.pack_id != pack_id:
        abort(404)
    return session
