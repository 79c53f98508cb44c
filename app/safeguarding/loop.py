"""Closing the loop: from an incident, set the matching lesson and share the parents' guide.

A lesson is set for each pupil's whole class (classes of the lesson's own key stage band; a
teacher-led lesson only where it has been taught, as for any module), never for the pupils
alone: work set for one or two children would tell their classmates (and the children) that
something happened, and the teaching models set work for a class or a year group only. The
lesson is saved as a one-lesson module titled with the lesson, and the incident records which
lesson was set and for whom; its page shows which of the pupils involved have finished it since.

The parents' guide on the topic is shown on the parent's home page ("Your school has shared a
guide with you"), since Lantern sends no email; the parent sees the guide and nothing else.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import auditing
from app.access import allow
from app.content import guides, lessons
from app.content.strands import band_for_year
from app.extensions import db
from app.models import Assignment, IncidentEntry, LessonProgress, Module, ModuleLesson, Role, utcnow
from app.safeguarding import bp
from app.safeguarding.forms import PickForm
from app.safeguarding.routes import EVENT, STAFF, _require_dsl
from app.services import safeguarding as sg
from app.services.assignments import teach_first_message, untaught


def matching_lessons(found: sg.State) -> list:
    """The lessons on the incident's topic in the bands of the pupils involved."""
    if not found.topic:
        return []
    bands = {band_for_year(p.year) for p, _part in found.pupils if p.year is not None}
    return [lesson for lesson in lessons().by_topic(found.topic) if lesson.band in bands]


def lesson_lines(found: sg.State) -> list[dict]:
    """Each lesson set from the incident, with the pupils involved who have finished it since."""
    lines = []
    for entry in found.incident.entries:
        if entry.kind != sg.LESSON or not entry.value:
            continue
        done = set(
            db.session.scalars(
                sa.select(LessonProgress.pupil_id).where(
                    LessonProgress.lesson_id == entry.value,
                    LessonProgress.completed_at.is_not(None),
                    LessonProgress.completed_at >= entry.at,
                    LessonProgress.pupil_id.in_([p.id for p, _part in found.pupils]),
                )
            )
        )
        lines.append(
            {
                "entry": entry,
                "title": lessons().title(entry.value),
                "done": [p for p, _part in found.pupils if p.id in done],
                "waiting": [p for p, _part in found.pupils if p.id not in done],
            }
        )
    return lines


def matching_guide(found: sg.State):
    """The parents' guide on the incident's topic, or None."""
    if not found.topic:
        return None
    return next(iter(guides().for_topic(found.topic)), None)


def loop_context(found: sg.State) -> dict:
    """What the incident page shows for closing the loop."""
    return {
        "matching": matching_lessons(found),
        "lessons_set": lesson_lines(found),
        "matching_guide": matching_guide(found),
        "guides_shared": [e for e in found.incident.entries if e.kind == sg.GUIDE],
    }


@bp.route("/incidents/<id:incident_id>/lesson", methods=["POST"])
@allow(*STAFF)
def set_lesson(incident_id: int):
    """Set the matching lesson for the classes of the pupils involved, in one step."""
    _require_dsl()
    incident = sg.incident_for_dsl(current_user, incident_id)
    found = sg.state(incident)
    form = PickForm()
    chosen = (form.choice.data or "").strip() if form.validate_on_submit() else ""
    lesson = next((item for item in matching_lessons(found) if item.id == chosen), None)
    if lesson is None:
        flash(_("Choose one of the matching lessons."), "error")
        return redirect(url_for("safeguarding.incident", incident_id=incident.id), 303)
    # only the classes of the lesson's own key stage band; a teacher-led lesson (issue 12) is set
    # only for classes it has been taught to, the same rule as setting any module
    classes = {
        c.id: c
        for p, _part in found.pupils
        for c in p.classes
        if c.ended_at is None and p.role is Role.PUPIL and band_for_year(c.year) == lesson.band
    }
    waiting = [c for c in classes.values() if untaught([lesson.id], [c], lessons())]
    if waiting:
        flash(
            _("Not set for %(classes)s yet.", classes=", ".join(sorted(c.name for c in waiting)))
            + " "
            + str(teach_first_message([lesson])),
            "warning",
        )
        for school_class in waiting:
            del classes[school_class.id]
    if not classes:
        return redirect(url_for("safeguarding.incident", incident_id=incident.id), 303)
    module = Module(school_id=incident.school_id, title=str(lesson.title)[:200],
                    created_by_id=current_user.id)  # fmt: skip
    module.lessons.append(ModuleLesson(position=1, lesson_id=lesson.id))
    db.session.add(module)
    db.session.flush()
    for school_class in classes.values():
        db.session.add(
            Assignment(
                school_id=incident.school_id,
                module_id=module.id,
                class_id=school_class.id,
                set_by_id=current_user.id,
                created_at=utcnow(),
            )  # fmt: skip
        )
    names = ", ".join(sorted(c.name for c in classes.values()))
    incident.entries.append(
        IncidentEntry(
            author_id=current_user.id,
            kind=sg.LESSON,
            value=lesson.id,
            text=_("Set for %(classes)s", classes=names or _("no class")),
        )  # fmt: skip
    )
    auditing.note(
        EVENT.SAFEGUARDING_RECORDED,
        current_user.school_id,
        detail={"incident": incident.id, "entry": sg.LESSON},
        commit=False,
    )
    db.session.commit()
    flash(_("The lesson is set for %(classes)s.", classes=names or _("no class")), "success")
    return redirect(url_for("safeguarding.incident", incident_id=incident.id), 303)


@bp.route("/incidents/<id:incident_id>/guide", methods=["POST"])
@allow(*STAFF)
def share_guide(incident_id: int):
    """Show the parents of a pupil involved the guide on the incident's topic, on their home page.

    Lantern sends no email: the parent sees "Your school has shared a guide with you" and the
    guide, and nothing about the incident.
    """
    _require_dsl()
    incident = sg.incident_for_dsl(current_user, incident_id)
    found = sg.state(incident)
    guide = matching_guide(found)
    form = PickForm()
    chosen = (form.choice.data or "").strip() if form.validate_on_submit() else ""
    pupil = next((p for p, _part in found.pupils if str(p.id) == chosen), None)
    if guide is None or pupil is None:
        flash(_("Choose a pupil involved, once the topic is set."), "error")
        return redirect(url_for("safeguarding.incident", incident_id=incident.id), 303)
    incident.entries.append(
        IncidentEntry(
            author_id=current_user.id,
            kind=sg.GUIDE,
            value=guide.id,
            pupil_id=pupil.id,
            text=str(guide.title),
        )  # fmt: skip
    )
    auditing.note(
        EVENT.SAFEGUARDING_RECORDED,
        current_user.school_id,
        subject_id=pupil.id,
        detail={"incident": incident.id, "entry": sg.GUIDE},
        commit=False,
    )
    db.session.commit()
    if pupil.parents:
        flash(_("Their parents will see the guide on their Lantern home page."), "success")
    else:
        flash(_("Recorded, but no parent account is linked to this pupil yet."), "error")
    return redirect(url_for("safeguarding.incident", incident_id=incident.id), 303)
