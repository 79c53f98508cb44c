"""Showing the AUP that is due, recording I agree, and signing out kindly on decline."""

from __future__ import annotations

from flask import abort, flash, g, render_template, request, session, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.access import SIGNED_IN, allow, is_open_before_aup, open_before_aup, open_to_all
from app.agreements.routes import receipt_note
from app.aup import bp
from app.aup.forms import AgreementForm
from app.aup.understanding import after_agreeing  # the once-a-term question, if due
from app.auth.sessions import sign_out
from app.content import aups
from app.content.aup import Aup
from app.htmx import redirect_to
from app.services import acceptance, aup_form, school_calendar, school_settings


def current_aup(audience: str | None = None) -> Aup:
    """The AUP the signed-in user must accept: their school's own version, else the file's."""
    return school_settings.current_aup(
        current_user.school_id,
        audience or current_user.audience,
        str(get_locale()),
        school_calendar.today(),
    )


def _cache_key(aup: Aup) -> str:
    """What the session remembers once this exact AUP text is settled for this sign-in."""
    return aup.text_hash


def _owed(aup: Aup) -> list:
    """Whom the signed-in user still owes an acceptance for (children, or None for self)."""
    return acceptance.pending(current_user, aup, g.get("login_session_id"), school_calendar.today())


@bp.before_app_request
def aup_gate():
    """Send a signed-in user to their AUP until it is accepted; htmx requests included."""
    if not current_user.is_authenticated or is_open_before_aup():
        return None
    aup = current_aup()
    if session.get("aup_ok") == _cache_key(aup):
        return None
    if not _owed(aup):
        session["aup_ok"] = _cache_key(aup)
        session.pop("next", None)  # nothing to agree to: the deep link was followed at sign-in
        return None
    return redirect_to(url_for("aup.show"))


def _why_full(aup: Aup) -> aup_form.Why | None:
    """Why the signed-in user must read aup in full now, or None when its short form will do."""
    return aup_form.why_full(current_user, aup, school_calendar.today())


@bp.route("/aup")
@allow(*SIGNED_IN)
@open_before_aup
def show():
    """The user's AUP (its short form, or the full text when it matters), to agree or not."""
    aup = current_aup()
    owed = _owed(aup)
    if not owed:
        return redirect_to(url_for("public.home"))
    children = [child for child in owed if child is not None]
    why = _why_full(aup)
    shown = aup_form.FULL if why or request.args.get("form") == aup_form.FULL else aup_form.SHORT
    form_hash = aup.text_hash if shown == aup_form.FULL else aup.short_hash
    form = AgreementForm(text_hash=aup.text_hash, form=shown, form_hash=form_hash)
    return render_template(
        "aup/show.html", aup=aup, form=form, children=children, shown=shown, why=why
    )


@bp.route("/aup/accept", methods=["POST"])
@allow(*SIGNED_IN)
@open_before_aup
def accept():
    """Record the acceptance; say so only once it is committed."""
    aup = current_aup()
    form = AgreementForm()
    if not form.validate_on_submit():
        abort(400)
    shown = form.form.data or aup_form.FULL
    form_hash = aup.text_hash if shown == aup_form.FULL else aup.short_hash
    if form.text_hash.data != aup.text_hash or (form.form_hash.data or form_hash) != form_hash:
        flash(_("The agreement has just been updated. Please read it again."), "info")
        return redirect_to(url_for("aup.show"))
    if shown == aup_form.SHORT and _why_full(aup):
        return redirect_to(url_for("aup.show"))  # the full text is due now: show it first
    context = acceptance.Context(
        login_session_id=g.get("login_session_id"),
        ip_address=request.remote_addr or "",
        user_agent=request.user_agent.string or "",
    )
    today = school_calendar.today()
    rows = acceptance.accept(current_user, aup, context, today, form=shown, form_hash=form_hash)
    session["aup_ok"] = _cache_key(aup)
    if rows:
        when = format_datetime(rows[0].accepted_at, "short")
        flash(_("Thank you. Your agreement was recorded on %(when)s.", when=when), "success")
        receipt_note(rows)
    return redirect_to(after_agreeing(aup, session.pop("next", None) or url_for("public.home")))


@bp.route("/aup/decline/check")
@allow(*SIGNED_IN)
@open_before_aup
def confirm_decline():
    """Ask once more before signing out (KS1's I do not agree), with going back as the default."""
    aup = current_aup()
    if not _owed(aup):
        return redirect_to(url_for("public.home"))
    return render_template("aup/confirm_decline.html", aup=aup, form=AgreementForm())


@bp.route("/aup/decline", methods=["POST"])
@allow(*SIGNED_IN)
@open_before_aup
def decline():
    """Not agreeing signs the user out, then says kindly whom to talk to."""
    form = AgreementForm()
    if not form.validate_on_submit():
        abort(400)
    audience = current_user.audience
    sign_out("declined")
    session["declined"] = audience
    return redirect_to(url_for("aup.declined"))


@bp.route("/aup/not-agreed")
@open_to_all
@open_before_aup
def declined():
    """The kind message after declining, for that person's audience."""
    audience = session.get("declined")
    if audience not in aups().audiences():
        return redirect_to(url_for("auth.login"))
    aup = aups().get(audience, str(get_locale()))  # signed out now: the file's kind message
    return render_template("aup/declined.html", aup=aup)
