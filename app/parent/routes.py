"""Parents' pages: each of their own children, the AUP signed, photo consent, topics covered."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import auditing
from app.errors import Forbidden
from app.extensions import db
from app.htmx import redirect_to
from app.models import User
from app.parent import bp
from app.parent.forms import EXPLAINED, ConsentForm
from app.parent.guides import guide_url, guides_for, guides_home
from app.services import (
    audit,
    compliance,
    consent,
    family,
    school_access,
    school_calendar,
    school_settings,
)

bp.context_processor(
    lambda: {"guide_url": guide_url, "guides_home": guides_home, "term_label": term_label}
)


TERM_NAMES = {"autumn": _l("Autumn term"), "spring": _l("Spring term"), "summer": _l("Summer term")}


def term_label(term: school_calendar.Term) -> str:
    """A term as parents read it: "Autumn term (1 September to 31 December 2026)"."""
    start, end = format_date(term.start, "d MMMM"), format_date(term.end, "long")
    return _("%(term)s (%(start)s to %(end)s)", term=TERM_NAMES[term.name], start=start, end=end)


def _overview(children: list[User]) -> dict:
    """What the parent pages show for these children: AUP, consent, topics and guides."""
    ids = [child.id for child in children]
    term = school_calendar.term_of(current_user.school, school_calendar.today())
    covered = family.covered(children, term)
    return {
        "children": children,
        "signed": family.aup_signed(current_user, ids),
        "on_behalf": _on_behalf(ids),
        "consent": consent.current(ids),
        "parts": consent.PARTS,
        "own_consent": {child.id: consent.decides_own(child) for child in children},
        "term": term,
        "covered": covered,
        "guides": {child.id: guides_for(child, covered[child.id]) for child in children},
    }


def _on_behalf(ids: list[int]) -> dict:
    """For each child, the agreement the office recorded under this parent's account, if any."""
    school_id = current_user.school_id
    texts = school_settings.current_texts(school_id, "parent", school_calendar.today())
    found = compliance.on_behalf_records(school_id, texts, ids)
    return {child: record for child, record in found.items() if record.user_id == current_user.id}


@bp.route("/")
def home():
    """The parent's children, each with the AUP signed, photo consent and this term's topics."""
    return render_template("parent/home.html", **_overview(family.children_of(current_user)))


@bp.route("/children/<id:child_id>")
def child(child_id: int):
    """One child in full, with the history of photo-consent decisions."""
    chosen = school_access.child_for(current_user, child_id)
    _viewed(chosen, "child")
    return render_template(
        "parent/child.html",
        child=chosen,
        history=consent.history(chosen.id),
        **_overview([chosen]),
    )


@bp.route("/children/<id:child_id>/consent", methods=["GET", "POST"])
def photo_consent(child_id: int):
    """Give, refuse or withdraw photo consent for one child; every change is kept.

    A sixth former decides their own (their parent sees the answers on the child's page).
    """
    chosen = school_access.child_for(current_user, child_id)
    if consent.decides_own(chosen):
        raise Forbidden
    if request.method != "POST":
        _viewed(chosen, "consent_form")
    state = consent.current([chosen.id])[chosen.id]
    form = ConsentForm().offer(state)
    if form.is_submitted():
        if not form.validate():
            abort(400)  # only a tampered form can send a choice that is not offered
        changed = [
            consent.decide(current_user, chosen, part, decision)
            for part, decision in form.decisions().items()
        ]
        db.session.commit()
        flash(_message(chosen, any(changed)), "success" if any(changed) else "info")
        return redirect_to(url_for("parent.child", child_id=chosen.id))
    return render_template(
        "parent/consent.html", child=chosen, form=form, state=state, explained=EXPLAINED
    )


def _message(child: User, changed: bool) -> str:
    """The confirmation shown after saving, with today's date."""
    name = child.display_name
    if not changed:
        return _(
            "Nothing was changed. Your answers for %(name)s are the same as before.", name=name
        )
    saved_on = format_date(school_calendar.today(), "long")
    return _(
        "Thank you. Your photo consent for %(name)s was saved on %(date)s.",
        name=name,
        date=saved_on,
    )


def _viewed(child: User, page: str) -> None:
    """Record that the parent looked at a child's photo-consent record."""
    auditing.note(
        audit.Event.CONSENT_VIEWED,
        child.school_id,
        subject_id=child.id,
        detail={"page": page},
    )
