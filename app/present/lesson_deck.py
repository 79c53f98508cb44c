"""A lesson as slides: a title slide, one per step (the quiz one per question), then help."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from app.content.kinds import step_kind
from app.content.schema import Lesson, Question, Quiz, Step
from app.present.deck import Slide, fragment


def lesson_slides(lesson: Lesson, quiz: Quiz) -> tuple[Slide, ...]:
    """Every slide of a lesson in teaching order, each with the presenter's notes."""
    leads_here = _reached_from(lesson)
    slides = [_slide(lesson, lesson.title, "title", "present/slides/_title.html")]
    for step in lesson.steps:
        kind = step_kind(step)
        if kind.holds_quiz:
            slides.extend(_question_slides(lesson, quiz))
        else:
            slides.append(
                _slide(
                    lesson, step.title, kind.name, kind.slide, step=step,
                    step_notes=kind.slide_notes, reached_from=leads_here.get(step.id, ()),
                )
            )  # fmt: skip
    slides.append(_slide(lesson, _("Where to get help"), "help", "present/slides/_help.html"))
    return tuple(slides)


def _question_slides(lesson: Lesson, quiz: Quiz) -> list[Slide]:
    """One slide per quiz question, with a reveal of the right answer."""
    total = len(quiz.questions)
    return [
        _slide(
            lesson, _("Quiz: question %(n)s of %(total)s", n=number, total=total), "question",
            "present/slides/_question.html", question=question,
        )
        for number, question in enumerate(quiz.questions, start=1)
    ]  # fmt: skip


def _slide(lesson: Lesson, title: str, kind: str, template: str, **context) -> Slide:
    """One slide: its body from template, its notes from the step and the lesson's notes."""
    body = fragment(template, lesson=lesson, **context)
    return Slide(title=title, body=body, notes=_notes(lesson, **context), kind=kind)


def _notes(
    lesson: Lesson,
    step: Step | None = None,
    question: Question | None = None,
    reached_from: tuple[str, ...] = (),
    step_notes: str | None = None,
) -> Markup:
    """The presenter's notes: this slide's answers first, then the lesson's teacher notes."""
    hint = fragment(
        "present/slides/_hint.html",
        step=step, question=question, reached_from=reached_from, step_notes=step_notes,
    )  # fmt: skip
    return fragment("present/slides/_lesson_notes.html", lesson=lesson, hint=hint.strip())


def _reached_from(lesson: Lesson) -> dict[str, tuple[str, ...]]:
    """For each step an answer leads to (a scenario choice), the texts of the answers to it."""
    found: dict[str, list[str]] = {}
    for step in lesson.steps:
        for text, target in step_kind(step).leads(step):
            found.setdefault(target, []).append(text)
    return {step_id: tuple(texts) for step_id, texts in found.items()}
