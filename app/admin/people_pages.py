"""The admin's pages for people: new sign-in details for anyone, parent letters, the rollover."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import auditing
from app.admin import bp
from app.auth.forms import EmptyForm
from app.extensions import db
from app.htmx import redirect_to
from app.models import utcnow
from app.models.years import YEARS
from app.services import audit, parent_invites, people, rollover, school_access, school_calendar
from app.teacher.sign_in_cards import no_store, record_reset, show_cards, ticked_ids


@bp.route("/people/<id:user_id>/reset", methods=["POST"])
@no_store
def reset_person(user_id: int):
    """Give a pupil or member of staff a new temporary password (or a pupil new pictures)."""
    person = school_access.user_in_school(current_user, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not people.may_reset(current_user, person):
        abort(403)  # themselves (they change their own), or someone who has left
    kind = request.form.get("kind", "")
    if kind not in people.kinds_for(person):
        kind = people.default_kind(person)
    secret = people.reset(person, kind)
    record_reset(secret, "admin")
    db.session.commit()
    return show_cards([secret], back=url_for("admin.home", q=request.args.get("q", "")))


def _live_class(class_id: int):
    """A live class of the admin's school (another school's is not found)."""
    school_class = school_access.class_for_staff(current_user, class_id)
    if school_class.ended_at is not None:
        abort(404)
    return school_class


@bp.route("/classes/<id:class_id>/parent-letters", methods=["GET", "POST"])
@no_store
def parent_letters(class_id: int):
    """Choose children of a class and print a letter for each with a one-time parent code."""
    school_class = _live_class(class_id)
    pupils = people.card_pupils(school_class)
    form = EmptyForm()
    error = None
    unlinked = {p.id for p in pupils if not p.parents}
    ticked = unlinked
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        ticked = ticked_ids()
        chosen = [p for p in pupils if p.id in ticked]
        if chosen:
            now = utcnow()
            letters = [(p, *parent_invites.create(p, current_user, now)) for p in chosen]
            auditing.note(
                audit.Event.EXPORT,
                current_user.school_id,
                detail={"export": "parent_letters", "count": len(letters)},
                commit=False,
            )
            db.session.commit()
            return render_template(
                "admin/parent_letters.html",
                letters=[(child, code, invite.expires_at) for child, invite, code in letters],
                cls=school_class,
            )
        error = _("Tick at least one child to print a letter for.")
    return render_template(
        "admin/parent_letters_choose.html",
        cls=school_class,
        pupils=pupils,
        form=form,
        error=error,
        unlinked=unlinked,
        chosen=ticked,
    ), (400 if error else 200)


def _last_year_asked(school) -> int:
    """The last year group the admin chose on the page, else the school's own."""
    raw = request.values.get("last_year", "")
    if raw.isascii() and raw.isdigit() and int(raw) in YEARS:
        return int(raw)
    return rollover.last_year_of(school)


@bp.route("/rollover", methods=["GET", "POST"])
def year_rollover():
    """Preview the year rollover (who moves up, who leaves, which classes end), then run it."""
    school = current_user.school
    form = EmptyForm()
    last_year = _last_year_asked(school)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            done = rollover.roll_over(school, school_calendar.today(), last_year)
        except rollover.AlreadyRolledOver:
            db.session.rollback()
            flash(_("The school has already moved up this school year: nobody moved."), "error")
            return redirect_to(url_for("admin.year_rollover"))
        auditing.note(
            audit.Event.YEAR_ROLLED_OVER,
            school.id,
            detail={"moved": done.moving_total, "left": done.leaving, "ended": len(done.classes)},
        )
        flash(
            _(
                "Everyone has moved up a year: %(moved)s pupils moved up, %(left)s left and "
                "%(classes)s classes ended.",
                moved=done.moving_total,
                left=done.leaving,
                classes=len(done.classes),
            ),
            "success",
        )
        return redirect_to(url_for("admin.home"))
    plan = rollover.plan(school, school_calendar.today(), last_year)
    return render_template(
        "admin/rollover.html", plan=plan, form=form, years=YEARS, last_year=last_year
    )
