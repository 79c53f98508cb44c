"""Modules (ready-made and teachers' own) and setting them for classes and year groups."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.content import lessons
from app.content.strands import band
from app.extensions import db
from app.htmx import redirect_to
from app.ids import parse_id
from app.models import SchoolClass
from app.models.years import year_label
from app.services import assignments, curriculum, roster, school_calendar
from app.services.assignments import AssignmentError
from app.teacher import bp
from app.teacher.curriculum import present_url
from app.teacher.forms import AssignForm, ChangeForm, ModuleForm, WithdrawForm
from app.teacher.lookup import assignment_or_abort, module_or_abort


def _class_from_args():
    """The class named by ?class=<id> when the user may set work for it, else None."""
    class_id = request.args.get("class", type=parse_id)
    if class_id is None:
        return None
    return next((c for c in roster.visible_classes(current_user) if c.id == class_id), None)


def _already_set(school_class) -> tuple[set[int], set[str]]:
    """Ids of the modules, and keys of the ready-made ones, already set for a class."""
    rows = assignments.for_class(school_class) if school_class is not None else []
    return {r.module_id for r in rows}, {r.module.preset for r in rows if r.module.preset}


@bp.route("/modules")
def modules():
    """Ready-made modules (one per year group and topic) and the ones the school's teachers built.

    From a class's page (?class=<id>) the ready-made ones are those of the class's year group
    (unless ?all=1), each module says whether it is already set, and setting one keeps the class.
    """
    school_class = _class_from_args()
    presets = curriculum.presets(lessons())
    every = school_class is None or request.args.get("all") == "1"
    if not every:
        presets = [p for p in presets if p.year == school_class.year]
    set_ids, set_keys = _already_set(school_class)
    return render_template(
        "teacher/modules.html",
        presets=presets,
        own=assignments.school_modules(current_user),
        may_edit=lambda m: assignments.may_edit_module(current_user, m),
        for_class=school_class,
        every=every,
        set_ids=set_ids,
        set_keys=set_keys,
    )


@bp.route("/modules/<id:module_id>")
def module(module_id: int):
    """One module: its lessons in order, and the way to set it."""
    found = module_or_abort(module_id)
    return render_template(
        "teacher/module.html",
        module=found,
        lessons=lessons().listed(found.lesson_ids),
        may_edit=assignments.may_edit_module(current_user, found),
    )


@bp.route("/modules/new", methods=["GET", "POST"])
def new_module():
    """Build a module: a title and lessons from any band, in the order they are listed."""
    return _module_form(None)


@bp.route("/modules/<id:module_id>/edit", methods=["GET", "POST"])
def edit_module(module_id: int):
    """Change a module one built: its title and its lessons."""
    return _module_form(module_or_abort(module_id, edit=True))


def _module_form(existing):
    """Show and save the module form; bad input keeps what was typed and chosen."""
    form = ModuleForm(obj=existing)
    chosen = request.form.getlist("lessons") if request.method == "POST" else (
        existing.lesson_ids if existing else request.args.getlist("lesson")
    )  # fmt: skip
    lesson_error = None
    if form.validate_on_submit():
        try:
            saved = assignments.save_module(
                current_user, form.title.data, chosen, lessons(), existing
            )
        except AssignmentError as error:
            db.session.rollback()
            if error.field == "title":
                form.title.errors = [error.message]
            lesson_error = error.message if error.field == "lessons" else None
        else:
            flash(_("Module saved: %(title)s", title=saved.title), "success")
            return redirect_to(url_for("teacher.module", module_id=saved.id))
    # a lesson removed from the curriculum cannot be chosen again, so editing drops it
    picked = [x for x in map(lessons().find, dict.fromkeys(chosen)) if x is not None]
    rest = [x for x in lessons().lessons() if x.id not in {p.id for p in picked}]
    return render_template(
        "teacher/module_form.html",
        form=form, module=existing, picked=picked, rest=rest, lesson_error=lesson_error,
    )  # fmt: skip


# ---- Setting a module ------------------------------------------------------------------------


def _targets() -> list[tuple[str, str]]:
    """Classes and whole year groups the current user may set work for."""
    classes = roster.visible_classes(current_user)
    choices = [(f"class:{c.id}", _("Class %(name)s", name=c.name)) for c in classes]
    choices += [
        (f"year:{year}", _("All of %(year)s", year=year_label(year)))
        for year in assignments.year_choices(current_user)
    ]
    return choices


def _chosen():
    """The module to set, from ?module=<id> or a ready-made ?preset=ks2/grooming."""
    if "module" in request.args:
        module_id = request.args.get("module", type=parse_id)
        if module_id is None:
            abort(404)
        return module_or_abort(module_id), None
    preset = curriculum.preset(lessons(), request.args.get("preset", ""))
    if preset is None:
        abort(404)
    return None, preset


@bp.route("/assign", methods=["GET", "POST"])
def assign():
    """Set a module for a class or a year group, with an optional due date and message."""
    module, preset = _chosen()
    form = AssignForm()
    form.target.choices = _targets()
    school_class = _class_from_args()
    if request.method == "GET" and school_class is not None:
        form.target.data = f"class:{school_class.id}"
    if form.validate_on_submit():
        if form.target.data not in dict(form.target.choices):
            abort(400)  # a tampered class or year
        kind, _sep, value = form.target.data.partition(":")
        target = (
            {"school_class": db.session.get(SchoolClass, int(value))}
            if kind == "class"
            else {"year": int(value)}
        )
        try:
            module = module or assignments.module_for_preset(current_user, preset)
            row = assignments.assign(
                current_user, module, **target, due_on=form.due_on.data,
                message=form.message.data, today=school_calendar.today(), library=lessons(),
            )  # fmt: skip
        except AssignmentError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [error.message]
        else:
            return _assigned(row)
    ids = module.lesson_ids if module else preset.lesson_ids
    title = module.title if module else assignments.preset_title(preset)
    set_ids, set_keys = _already_set(school_class)
    listed = lessons().listed(ids)
    return render_template(
        "teacher/assign.html",
        form=form,
        title=title,
        lessons=listed,
        for_class=school_class,
        already_set=(module.id in set_ids) if module else (preset.key in set_keys),
        teacher_led=[x for x in listed if not x.removed and x.teacher_led],
        waiting={x.id for x in assignments.untaught(ids, [school_class], lessons())}
        if school_class is not None
        else None,
        present_url=present_url,
    )


def _assigned(row):
    """Confirm a new assignment (with a note for any lesson outside the class's band)."""
    flash(_("Set: %(title)s", title=row.module.title), "success")
    year = row.school_class.year if row.school_class else row.year
    for title, lesson_band in assignments.band_notes(row.module, year, lessons()):
        flash(
            _("%(lesson)s is for %(band)s; your class is %(year)s.",
              lesson=title, band=band(lesson_band).label, year=year_label(year)),
            "info",
        )  # fmt: skip
    if row.class_id:
        return redirect_to(url_for("teacher.class_page", class_id=row.class_id))
    return redirect_to(url_for("teacher.home"))


@bp.route("/assignments/<id:assignment_id>", methods=["GET", "POST"])
def assignment(assignment_id: int):
    """Change an assignment's due date and message, or withdraw it."""
    row = assignment_or_abort(assignment_id)
    form = ChangeForm(obj=row)
    if form.validate_on_submit():
        try:
            assignments.change(row, form.due_on.data, form.message.data, school_calendar.today())
        except AssignmentError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [error.message]
        else:
            flash(_("Saved the changes to %(title)s.", title=row.module.title), "success")
            return redirect_to(_back(row))
    return render_template(
        "teacher/assignment.html", row=row, form=form, withdraw=WithdrawForm(), back=_back(row)
    )


@bp.route("/assignments/<id:assignment_id>/withdraw", methods=["POST"])
def withdraw(assignment_id: int):
    """Withdraw an assignment: pupils stop seeing it; the record is kept."""
    row = assignment_or_abort(assignment_id)
    if not WithdrawForm().validate_on_submit():
        abort(400)
    assignments.withdraw(row)
    flash(_("Withdrawn: %(title)s", title=row.module.title), "success")
    return redirect_to(_back(row))


def _back(row) -> str:
    """Where to go after changing an assignment: its class, or the home page for a year group."""
    if row.class_id:
        return url_for("teacher.class_page", class_id=row.class_id)
    return url_for("teacher.home")
