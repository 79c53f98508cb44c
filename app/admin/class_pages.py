"""The admin's class pages: create, rename, set teachers and pupils, and end a class.

Classes usually come from the roster import; these pages are for a school that keeps its own,
or a correction between imports. An ended class keeps its members and history but is no
longer taught (it drops out of every teaching list).
"""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.admin.forms import ClassForm
from app.auth.forms import EmptyForm
from app.extensions import db
from app.htmx import redirect_to
from app.ids import parse_id
from app.models import SchoolClass, utcnow
from app.services import people, school_access


def _ids(name: str) -> set[int]:
    """The ids ticked in the form's boxes called name; anything else is ignored."""
    found = set()
    for value in request.form.getlist(name):
        try:
            found.add(parse_id(value))
        except ValueError:
            continue
    return found


@bp.route("/classes", methods=["GET", "POST"])
def classes():
    """Every class of the school (live ones first), and a form to make a new one."""
    form = ClassForm()
    if form.validate_on_submit():
        name = " ".join(form.name.data.split())
        if people.class_name_taken(current_user.school_id, name):
            form.name.errors.append(_("The school already has a class called %(name)s.", name=name))
        else:
            made = SchoolClass(
                school_id=current_user.school_id, name=name, year=int(form.year.data)
            )
            db.session.add(made)
            db.session.commit()
            flash(
                _("Class %(name)s was made: now choose its teachers and pupils.", name=name),
                "success",
            )
            return redirect_to(url_for("admin.edit_class", class_id=made.id))
    status = 400 if form.errors else 200
    return render_template(
        "admin/classes.html", classes=people.school_classes(current_user.school_id), form=form
    ), status


@bp.route("/classes/<id:class_id>", methods=["GET", "POST"])
def edit_class(class_id: int):
    """A class: its name and year group, its teachers and its pupils (a live class only)."""
    school_class = school_access.class_for_staff(current_user, class_id)
    form = ClassForm(obj=school_class if request.method == "GET" else None)
    if request.method == "GET":
        form.year.data = str(school_class.year)
    staff = people.staff_of(current_user.school_id)
    pupils = people.pupils_for_class(school_class)
    if request.method == "POST" and school_class.ended_at is not None:
        abort(403)  # an ended class is history: it is not changed
    if form.validate_on_submit():
        name = " ".join(form.name.data.split())
        if people.class_name_taken(current_user.school_id, name, except_id=school_class.id):
            form.name.errors.append(_("The school already has a class called %(name)s.", name=name))
        else:
            school_class.name = name
            school_class.year = int(form.year.data)
            teachers, members = _ids("teacher"), _ids("pupil")
            school_class.teachers = [p for p in staff if p.id in teachers]
            kept = [p for p in school_class.pupils if not p.active]  # leavers stay, for history
            school_class.pupils = kept + [p for p in pupils if p.id in members]
            db.session.commit()
            flash(_("Class %(name)s was saved.", name=name), "success")
            return redirect_to(url_for("admin.edit_class", class_id=school_class.id))
    status = 400 if form.errors else 200
    return render_template(
        "admin/class.html",
        cls=school_class,
        form=form,
        staff=staff,
        pupils=pupils,
        teacher_ids={p.id for p in school_class.teachers},
        pupil_ids={p.id for p in school_class.pupils},
        button=EmptyForm(),
    ), status


@bp.route("/classes/<id:class_id>/end", methods=["POST"])
def end_class(class_id: int):
    """End a class: it keeps its members and history, and is no longer taught."""
    school_class = school_access.class_for_staff(current_user, class_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if school_class.ended_at is None:
        school_class.ended_at = utcnow()
        school_class.sign_in_code = None
        school_class.sign_in_code_expires_at = None
        db.session.commit()
    flash(_("Class %(name)s has ended; its records are kept.", name=school_class.name), "success")
    return redirect_to(url_for("admin.classes"))
