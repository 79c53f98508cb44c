"""A lesson as slides: a title slide, one per step (the quiz one per question), then help."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from app.content.kinds import StepKind, step_kind
from app.content.schema import Lesson, Question, Quiz, Step
from app.present.deck import Slide, fragment


def lesson_slides(lesson: Lesson, quiz: Quiz) -> tuple[Slide, ...]:
    """Every slide of a lesson in teaching order, each with the presenter's notes."""
    leads_here = _reached_from(lesson)
    slides = _title_slides(lesson)
    for step in lesson.steps:
        kind = step_kind(step)
        if kind.holds_quiz:
            slides.extend(_question_slides(lesson, quiz))
        elif kind.slide_paragraphs(step):
            slides.extend(
                _paragraph_slides(
                    lesson, step, kind, step_notes=kind.slide_notes,
                    reached_from=leads_here.get(step.id, ()),
                )
            )  # fmt: skip
        else:
            slides.append(
                _slide(
                    lesson, step.title, kind.name, kind.slide, step=step,
                    step_notes=kind.slide_notes, reached_from=leads_here.get(step.id, ()),
                    **_reveals(kind, step),
                )
            )  # fmt: skip
    slides.extend(_help_slides(lesson))
    return tuple(slides)


SLIDE_WORDS = 120
"""The words one slide holds at the 48 px floor on a 1366x768 board, in paragraphs (measured by
tests/browser/test_present_fit.py); a longer explanation or help list goes on to more slides."""
HELP_WORDS = 90
"""The same for a help list: its last slide shares the screen with the deck's own form."""
PICTURE_WORDS = 60
"""The room a step's picture takes on its slide, in words."""
PARAGRAPH_WORDS = 4
"""The room the space between two paragraphs takes, in words."""
TITLE_WORDS = 85
"""The words a lesson's title slide holds under its (big) title: summary and objectives."""


def _words(text: str) -> int:
    """How many words text has."""
    return len(text.split())


def _split(sizes: list[int], budget: int) -> list[range]:
    """Consecutive runs of items (by index) of at most budget words each, as even as they can be.

    An item bigger than the budget has a run of its own: a paragraph is never cut.
    """

    def runs(limit: int) -> list[range]:
        """Greedy runs of at most limit words."""
        found, start, size = [], 0, 0
        for at, words in enumerate(sizes):
            if at > start and size + words > limit:
                found.append(range(start, at))
                start, size = at, 0
            size += words
        return [*found, range(start, len(sizes))] if sizes else [range(0)]

    count = len(runs(budget))
    limit = -(-sum(sizes) // count)
    while len(runs(limit)) > count:
        limit += 1
    return runs(limit)


def _numbered(title: str, n: int, total: int) -> str:
    """A slide's title, numbered when its content takes more than one slide."""
    if total == 1:
        return title
    return _("%(title)s (%(n)s of %(total)s)", title=title, n=n, total=total)


def _title_slides(lesson: Lesson) -> list[Slide]:
    """The lesson's title and summary, with what the class will learn (on a slide of its own
    when both together are more than a slide holds)."""
    template = "present/slides/_title.html"
    words = _words(lesson.summary) + sum(_words(objective) for objective in lesson.objectives)
    if words <= TITLE_WORDS:
        return [_slide(lesson, lesson.title, "title", template)]
    return [
        _slide(lesson, lesson.title, "title", template, objectives=False),
        _slide(lesson, _("What we will learn"), "title", template, summary=False),
    ]


def _paragraph_slides(lesson: Lesson, step: Step, kind: StepKind, **context) -> list[Slide]:
    """A step's paragraphs on as many slides as their words need, any picture on the last."""
    paragraphs = kind.slide_paragraphs(step)
    sizes = [_words(paragraph) + PARAGRAPH_WORDS for paragraph in paragraphs]
    if any(kind.images(step)):
        sizes[-1] += PICTURE_WORDS
    parts = _split(sizes, SLIDE_WORDS)
    return [
        _slide(
            lesson, _numbered(step.title, n, len(parts)), kind.name, kind.slide, step=step,
            paragraphs=[paragraphs[at] for at in part], picture=n == len(parts), **context,
        )
        for n, part in enumerate(parts, start=1)
    ]  # fmt: skip


def _help_slides(lesson: Lesson) -> list[Slide]:
    """Where to get help, on as many slides as the list needs."""
    routes = lesson.help
    sizes = [_words(route.name) + _words(route.detail) for route in routes]
    if sizes:
        sizes[0] += 20  # the sentence that opens the list
    parts = _split(sizes, HELP_WORDS)
    return [
        _slide(
            lesson, _numbered(_("Where to get help"), n, len(parts)), "help",
            "present/slides/_help.html", routes=[routes[at] for at in part], first=n == 1,
        )
        for n, part in enumerate(parts, start=1)
    ]  # fmt: skip


def _question_slides(lesson: Lesson, quiz: Quiz) -> list[Slide]:
    """One slide per quiz question, with a reveal of the right answer."""
    total = len(quiz.questions)
    return [
        _slide(
            lesson, _("Quiz: question %(n)s of %(total)s", n=number, total=total), "question",
            "present/slides/_question.html", question=question, **_right_answers(question),
        )
        for number, question in enumerate(quiz.questions, start=1)
    ]  # fmt: skip


def _right_answers(question: Question) -> dict:
    """A question's right answers, revealed one at a time, by letter."""
    letters = tuple("ABCDEFGH"[at] for at, option in enumerate(question.options) if option.correct)
    label = _("Reveal the answer") if len(letters) == 1 else _("Reveal the answers")
    return {"reveals": letters, "reveal_label": label}


def _reveals(kind: StepKind, step: Step) -> dict:
    """The answers a step's slide reveals one at a time, and the name of the set."""
    answers = kind.answers(step)
    return {"reveals": answers, "reveal_label": str(kind.reveal)} if answers else {}


def _slide(
    lesson: Lesson,
    title: str,
    kind: str,
    template: str,
    reveals: tuple[str, ...] = (),
    reveal_label: str = "",
    **context,
) -> Slide:
    """One slide: its body from template, its notes from the step and the lesson's notes.

    Both are rendered only when the slide is shown.
    """
    return Slide(
        title=title, kind=kind, reveals=reveals, reveal_label=reveal_label,
        body=lambda shown: fragment(template, lesson=lesson, shown=shown, **context),
        notes=lambda: _notes(lesson, **context),
    )  # fmt: skip


def _notes(
    lesson: Lesson,
    step: Step | None = None,
    question: Question | None = None,
    reached_from: tuple[str, ...] = (),
    step_notes: str | None = None,
    **_body_only,
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
