"""The admin's pages for people: new sign-in details for anyone, parent letters, the rollover."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import auditing
from app.admin import bp
from app.admin.forms import EditPersonForm, LinkForm, NewPersonForm
from app.auth.forms import EmptyForm
from app.extensions import db
from app.htmx import redirect_to
from app.models import Role, utcnow
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


# ---- People by hand: add, edit, mark as left, link parents and children ----


@bp.route("/people/new", methods=["GET", "POST"])
def new_person():
    """Add one person by hand (most arrive with the roster import); they get a username."""
    form = NewPersonForm(people.NEW_PERSON_ROLES)
    if form.validate_on_submit():
        role = Role(form.role.data)
        year = int(form.year.data) if form.year.data else None
        if role is Role.PUPIL and year is None:
            form.year.errors.append(_("Choose the pupil's year group."))
        else:
            given, family = " ".join(form.given.data.split()), " ".join(form.family.data.split())
            person = people.add_person(current_user.school_id, role, given, family, year)
            if role in people.STAFF_CHOICES:
                _note_role(person, None)
            db.session.commit()
            flash(
                _(
                    "%(name)s was added with the username %(username)s. Give them sign-in "
                    "details: a new temporary password from the People page, or a sign-in "
                    "card from their class.",
                    name=person.display_name,
                    username=person.username,
                ),
                "success",
            )
            return redirect_to(url_for("admin.edit_person", user_id=person.id))
    status = 400 if form.errors else 200
    return render_template("admin/person_new.html", form=form), status


def _note_role(person, before) -> None:
    """Record a change of role or of the DSL flag in the security log (with the caller's commit)."""
    auditing.note(
        audit.Event.ROLE_CHANGED,
        person.school_id,
        subject_id=person.id,
        detail={
            "from": before.value if before else None,
            "to": person.role.value,
            "dsl": person.dsl,
        },
        commit=False,
    )


@bp.route("/people/<id:user_id>", methods=["GET", "POST"])
def edit_person(user_id: int):
    """One person: their name, a pupil's year group, a member of staff's role and DSL flag,
    the parents or children linked to them, and marking them as left (or back)."""
    person = school_access.user_in_school(current_user, user_id)
    staff = person.role in people.STAFF_CHOICES
    form = EditPersonForm(
        people.STAFF_CHOICES if staff else (person.role,),
        obj=person if request.method == "GET" else None,
    )
    if request.method == "GET":
        form.role.data = person.role.value
        form.year.data = str(person.year) if person.year is not None else None
    if form.validate_on_submit() and _choices_valid(form, person, staff):
        before = (person.role, person.dsl)
        person.display_name = " ".join(form.display_name.data.split())
        if person.role is Role.PUPIL:
            person.year = int(form.year.data)
        if staff and person.id != current_user.id:  # nobody changes their own role
            person.role = Role(form.role.data)
            person.dsl = form.dsl.data
        if (person.role, person.dsl) != before:
            _note_role(person, before[0])
        db.session.commit()
        flash(_("The changes to %(name)s were saved.", name=person.display_name), "success")
        return redirect_to(url_for("admin.edit_person", user_id=person.id))
    status = 400 if form.errors else 200
    return render_template(
        "admin/person.html",
        person=person,
        form=form,
        staff=staff,
        link_form=LinkForm(),
        button=EmptyForm(),
    ), status


def _choices_valid(form: EditPersonForm, person, staff: bool) -> bool:
    """A pupil's year group and a member of staff's role must be ones offered."""
    if person.role is Role.PUPIL and form.year.data not in {v for v, _label in form.year.choices}:
        form.year.errors.append(_("Choose the pupil's year group."))
    if staff and person.id != current_user.id:
        if form.role.data not in {role.value for role in people.STAFF_CHOICES}:
            form.role.errors.append(_("Choose a role."))
    return not (form.year.errors or form.role.errors)


@bp.route("/people/<id:user_id>/left", methods=["POST"])
def person_left(user_id: int):
    """Mark someone as left (they cannot sign in; every record is kept), or as back again."""
    person = school_access.user_in_school(current_user, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if person.id == current_user.id:
        abort(403)
    if request.form.get("back") == "1":
        people.mark_returned(person)
        message = _("%(name)s is back: they can sign in again.", name=person.display_name)
    else:
        people.mark_left(person)
        message = _(
            "%(name)s is marked as left: they cannot sign in, and their records are kept.",
            name=person.display_name,
        )
    db.session.commit()
    flash(message, "success")
    return redirect_to(url_for("admin.edit_person", user_id=person.id))


@bp.route("/people/<id:user_id>/links", methods=["POST"])
def link_person(user_id: int):
    """Link a parent and a child of the school: the other is named by username."""
    person = school_access.user_in_school(current_user, user_id)
    if person.role not in (Role.PUPIL, Role.PARENT):
        abort(404)
    form = LinkForm()
    if not form.validate_on_submit():
        flash(_("Type the username of the person to link."), "error")
        return redirect_to(url_for("admin.edit_person", user_id=person.id))
    wanted = Role.PARENT if person.role is Role.PUPIL else Role.PUPIL
    other = people.in_school(current_user.school_id, form.username.data, wanted)
    if other is None:
        flash(
            _("No parent or carer of this school has that username.")
            if wanted is Role.PARENT
            else _("No pupil of this school has that username."),
            "error",
        )
        return redirect_to(url_for("admin.edit_person", user_id=person.id))
    parent, child = (other, person) if wanted is Role.PARENT else (person, other)
    if child not in parent.children:
        parent.children.append(child)
        auditing.note(
            audit.Event.PARENT_LINKED,
            current_user.school_id,
            subject_id=child.id,
            detail={"via": "admin", "parent": parent.username},
            commit=False,
        )
    db.session.commit()
    flash(
        _(
            "%(parent)s is linked to %(child)s.",
            parent=parent.display_name,
            child=child.display_name,
        ),
        "success",
    )
    return redirect_to(url_for("admin.edit_person", user_id=person.id))


@bp.route("/people/<id:user_id>/links/<id:other_id>/remove", methods=["POST"])
def unlink_person(user_id: int, other_id: int):
    """Unlink a parent and a child of the school."""
    person = school_access.user_in_school(current_user, user_id)
    other = school_access.user_in_school(current_user, other_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    parent, child = (other, person) if person.role is Role.PUPIL else (person, other)
    if child not in parent.children:
        abort(404)
    parent.children.remove(child)
    auditing.note(
        audit.Event.PARENT_LINKED,
        current_user.school_id,
        subject_id=child.id,
        detail={"via": "admin", "parent": parent.username, "removed": True},
        commit=False,
    )
    db.session.commit()
    flash(
        _(
            "%(parent)s is no longer linked to %(child)s.",
            parent=parent.display_name,
            child=child.display_name,
        ),
        "success",
    )
    return redirect_to(url_for("admin.edit_person", user_id=person.id))
