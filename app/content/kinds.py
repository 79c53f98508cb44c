"""Registry of step and question kinds: each step kind's model beside the class that owns it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from pydantic import Field, StrictBool

from app.content.fields import ContentModel, Slug, Text

if TYPE_CHECKING:  # the schema builds its Step from this registry, so it imports this module
    from app.content.schema import Question, Quiz, Step

Form = Mapping[str, Any]
"""Submitted form data: request.form (a MultiDict) or a dict of strings or lists of strings."""
Finding = tuple[str, str]
"""A (field, reason) pair; the field is dotted and relative to the step or question checked."""

CHOICE_FIELD = "choice"
ITEM_PREFIX = "item."
STATEMENT_PREFIX = "statement."
ANSWER_PREFIX = "answer."


class InvalidAnswer(Exception):
    """A submission that does not fit the step or question it was sent for; the view answers 400."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


Outcome = Literal["good", "ok", "poor"]
"""How well a scenario choice turns out for the character."""


@dataclass(frozen=True)
class ScenarioResult:
    """The choice a pupil made in a scenario, its feedback and any step it leads to."""

    step_id: str
    choice_id: str
    outcome: Outcome
    feedback: str
    next_step: str | None


@dataclass(frozen=True)
class ItemResult:
    """Where a pupil placed one sort item, where it belongs, and why."""

    item_id: str
    chosen_group: str
    correct_group: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class SortResult:
    """A pupil's sort, item by item, with how many items were placed correctly."""

    step_id: str
    items: tuple[ItemResult, ...]
    score: int
    total: int


@dataclass(frozen=True)
class StatementResult:
    """A pupil's true-or-false answer to one statement, the right answer, and why."""

    statement_id: str
    chosen: bool
    answer: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class TrueFalseResult:
    """A pupil's answers to a true-or-false step, statement by statement, with a score."""

    step_id: str
    statements: tuple[StatementResult, ...]
    score: int
    total: int


@dataclass(frozen=True)
class OptionFeedback:
    """Feedback on one option a pupil chose, with the misconception a wrong one reveals."""

    option_id: str
    correct: bool
    feedback: str
    misconception: str | None


@dataclass(frozen=True)
class QuestionResult:
    """Whether a quiz question was answered correctly, with feedback on each chosen option."""

    question_id: str
    correct: bool
    chosen: tuple[str, ...]
    missed: tuple[str, ...]
    feedback: tuple[OptionFeedback, ...]
    misconceptions: tuple[str, ...]


@dataclass(frozen=True)
class QuizResult:
    """A whole quiz graded: each question, the score, the percentage and whether it passed."""

    lesson_id: str
    questions: tuple[QuestionResult, ...]
    score: int
    total: int
    percent: int
    passed: bool


StepResult = ScenarioResult | SortResult | TrueFalseResult
Stored = tuple[dict[str, Any], int | None, int | None]
"""What progress keeps of a step result: the answer itself, then any score and its total."""
S = TypeVar("S", bound=ContentModel)


def _values(form: Form, key: str) -> tuple[str, ...]:
    """Return every value submitted under key, from a MultiDict or a plain mapping."""
    if hasattr(form, "getlist"):
        return tuple(form.getlist(key))
    value = form.get(key)
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _one(form: Form, key: str) -> str:
    """Return the single value submitted under key, refusing none or several."""
    values = _values(form, key)
    if len(values) != 1:
        raise InvalidAnswer(key, "needs exactly one answer")
    return values[0]


def _answers(form: Form, prefix: str, ids: tuple[str, ...]) -> dict[str, str]:
    """Return one answer per id from fields named prefix + id, refusing strays and gaps."""
    for key in form:
        if key.startswith(prefix) and key[len(prefix) :] not in ids:
            raise InvalidAnswer(key, "is not part of this step")
    return {id_: _one(form, prefix + id_) for id_ in ids}


class StepKind(Generic[S]):
    """Base of a step kind: its checks, links, grading, what is stored and which templates show it.

    A new kind is its model and one subclass here, side by side, with the subclass added to
    STEP_KINDS; the schema's Step, STEP_MODELS and STEP_KINDS are built from that registry. It
    also needs a player template under pupil/steps/ and, unless it holds the quiz, a slide template.
    """

    name: ClassVar[str]
    model: ClassVar[type]
    takes_answer: ClassVar[bool] = False
    """Whether the pupil answers the step itself: graded by check, kept by stored."""
    holds_quiz: ClassVar[bool] = False
    """Whether the lesson's quiz is taken here (graded by check_quiz, one slide per question)."""
    player: ClassVar[str]
    """The template that shows the step in the pupil's lesson player."""
    slide: ClassVar[str | None] = None
    """The template that shows the step as a slide in present mode."""
    slide_notes: ClassVar[str | None] = None
    """The template of the step's answers in the presenter's notes, if it has any."""
    reveal: ClassVar[LazyString | None] = None
    """The name of what its slide reveals one answer at a time ("Reveal what happens")."""

    def problems(self, step: S) -> Iterator[Finding]:
        """Yield what is wrong inside one step, beyond what its model already checks."""
        return iter(())

    def links(self, step: S) -> Iterator[Finding]:
        """Yield (field, step id) for each other step this one can lead to."""
        return iter(())

    def images(self, step: S) -> Iterator[Finding]:
        """Yield (field, src) for each image file this step shows."""
        return iter(())

    def leads(self, step: S) -> Iterator[tuple[str, str]]:
        """Yield (what the pupil chose, step id) for each answer that leads to another step."""
        return iter(())

    def check(self, step: S, form: Form) -> StepResult:
        """Grade a pupil's submission for this step."""
        raise InvalidAnswer("step", f"a {self.name} step takes no answer")

    def stored(self, result: StepResult) -> Stored:
        """What progress keeps of a graded submission for this step."""
        raise TypeError(f"a {self.name} step takes no answer to store")

    def answers(self, step: S) -> tuple[str, ...]:
        """The labels of the answers its slide reveals one at a time ("A", "B" or "1", "2")."""
        return ()

    def slide_paragraphs(self, step: S) -> tuple[str, ...]:
        """Its text as paragraphs present mode may spread over several slides (none: one slide)."""
        return ()

    def templates(self) -> tuple[str, ...]:
        """Every template that shows this kind of step."""
        return tuple(t for t in (self.player, self.slide, self.slide_notes) if t is not None)


class Image(ContentModel):
    """A picture beside an explanation: a file under static/img/lessons/ and its alt text."""

    src: Text
    alt: Text


class ExplainStep(ContentModel):
    """A short explanation in plain paragraphs, separated by blank lines."""

    id: Slug
    kind: Literal["explain"]
    title: Text
    body: Text
    image: Image | None = None

    def paragraphs(self) -> tuple[str, ...]:
        """Return the body as paragraphs, joining the lines inside each one."""
        blocks = re.split(r"\n\s*\n", self.body)
        return tuple(" ".join(line.strip() for line in block.splitlines()) for block in blocks)


class ExplainKind(StepKind[ExplainStep]):
    """Explanation in paragraphs, perhaps with a picture; nothing to answer."""

    name = "explain"
    model = ExplainStep
    player = "pupil/steps/_explain.html"
    slide = "present/slides/_explain.html"

    def slide_paragraphs(self, step: ExplainStep) -> tuple[str, ...]:
        """Its paragraphs."""
        return step.paragraphs()

    def images(self, step: ExplainStep) -> Iterator[Finding]:
        """Yield the step's picture, if it has one."""
        if step.image is not None:
            yield "image.src", step.image.src


class Choice(ContentModel):
    """One thing a character could do in a scenario, with what happens if the pupil picks it."""

    id: Slug
    text: Text
    feedback: Text
    outcome: Outcome
    next: Slug | None = None


class ScenarioStep(ContentModel):
    """A situation where the pupil chooses what a character should do and sees why."""

    id: Slug
    kind: Literal["scenario"]
    title: Text
    situation: Text
    question: Text
    choices: tuple[Choice, ...] = Field(min_length=2, max_length=4)


class ScenarioKind(StepKind[ScenarioStep]):
    """A choice of what to do next; each choice has feedback and may lead to another step."""

    name = "scenario"
    model = ScenarioStep
    takes_answer = True
    player = "pupil/steps/_scenario.html"
    slide = "present/slides/_scenario.html"
    slide_notes = "present/slides/_scenario_notes.html"
    reveal = _l("Reveal what happens")

    def answers(self, step: ScenarioStep) -> tuple[str, ...]:
        """Its choices, by letter."""
        return tuple("ABCDEFGH"[: len(step.choices)])

    def problems(self, step: ScenarioStep) -> Iterator[Finding]:
        """Refuse a choice that leads back to its own step, and a scenario with no good choice."""
        for index, choice in enumerate(step.choices):
            if choice.next == step.id:
                yield f"choices.{index}.next", "must lead to another step, not back to this one"
        if all(choice.outcome != "good" for choice in step.choices):
            yield "choices", "needs at least one choice whose outcome is good"

    def links(self, step: ScenarioStep) -> Iterator[Finding]:
        """Yield the step each choice leads to, where it names one."""
        for index, choice in enumerate(step.choices):
            if choice.next is not None:
                yield f"choices.{index}.next", choice.next

    def leads(self, step: ScenarioStep) -> Iterator[tuple[str, str]]:
        """Yield the text of each choice that leads to another step, with that step."""
        for choice in step.choices:
            if choice.next is not None:
                yield choice.text, choice.next

    def check(self, step: ScenarioStep, form: Form) -> ScenarioResult:
        """Grade the field `choice`, which holds the id of the chosen choice."""
        choice_id = _one(form, CHOICE_FIELD)
        for choice in step.choices:
            if choice.id == choice_id:
                return ScenarioResult(
                    step.id, choice.id, choice.outcome, choice.feedback, choice.next
                )
        raise InvalidAnswer(CHOICE_FIELD, f"'{choice_id}' is not a choice in this step")

    def stored(self, result: ScenarioResult) -> Stored:
        """Keep the choice and its outcome; a scenario has no score."""
        return {"choice": result.choice_id, "outcome": result.outcome}, None, None


class SortGroup(ContentModel):
    """One heading that items in a sort step are placed under."""

    id: Slug
    label: Text


class SortItem(ContentModel):
    """One card to sort, the group it belongs in and why."""

    id: Slug
    text: Text
    group: Slug
    feedback: Text


class SortStep(ContentModel):
    """An activity where the pupil places each item under one of two or three groups."""

    id: Slug
    kind: Literal["sort"]
    title: Text
    instructions: Text
    groups: tuple[SortGroup, ...] = Field(min_length=2, max_length=3)
    items: tuple[SortItem, ...] = Field(min_length=2)


class SortKind(StepKind[SortStep]):
    """Items to place under two or three groups; graded item by item."""

    name = "sort"
    model = SortStep
    takes_answer = True
    player = "pupil/steps/_sort.html"
    slide = "present/slides/_sort.html"
    reveal = _l("Reveal the groups")

    def answers(self, step: SortStep) -> tuple[str, ...]:
        """Its cards, by number."""
        return tuple(str(n) for n in range(1, len(step.items) + 1))

    def problems(self, step: SortStep) -> Iterator[Finding]:
        """Refuse items placed in groups the step does not have, and groups left empty."""
        group_ids = {group.id for group in step.groups}
        for index, item in enumerate(step.items):
            if item.group not in group_ids:
                yield f"items.{index}.group", f"'{item.group}' is not one of this step's groups"
        used = {item.group for item in step.items}
        for index, group in enumerate(step.groups):
            if group.id not in used:
                yield f"groups.{index}", f"no item belongs in group '{group.id}'"

    def check(self, step: SortStep, form: Form) -> SortResult:
        """Grade fields `item.<item id>`, each holding the id of the group chosen for it."""
        answers = _answers(form, ITEM_PREFIX, tuple(item.id for item in step.items))
        group_ids = {group.id for group in step.groups}
        for item_id, group_id in answers.items():
            if group_id not in group_ids:
                raise InvalidAnswer(ITEM_PREFIX + item_id, f"'{group_id}' is not a group here")
        items = tuple(
            ItemResult(
                item.id, answers[item.id], item.group, answers[item.id] == item.group, item.feedback
            )
            for item in step.items
        )
        return SortResult(step.id, items, sum(item.correct for item in items), len(items))

    def stored(self, result: SortResult) -> Stored:
        """Keep the group chosen for each item, with the score."""
        return {i.item_id: i.chosen_group for i in result.items}, result.score, result.total


class TrueFalseStatement(ContentModel):
    """One statement to judge true or false, with the answer and why."""

    id: Slug
    text: Text
    answer: StrictBool
    feedback: Text


class TrueFalseStep(ContentModel):
    """An activity where the pupil marks each statement true or false."""

    id: Slug
    kind: Literal["true_false"]
    title: Text
    statements: tuple[TrueFalseStatement, ...] = Field(min_length=1)


class TrueFalseKind(StepKind[TrueFalseStep]):
    """Statements to mark true or false; graded statement by statement."""

    name = "true_false"
    shuffles = False  # True, then False, always: the bands' balance of answers stops guessing
    model = TrueFalseStep
    takes_answer = True
    player = "pupil/steps/_true_false.html"
    slide = "present/slides/_true_false.html"
    slide_notes = "present/slides/_true_false_notes.html"
    reveal = _l("Reveal the answers")

    def answers(self, step: TrueFalseStep) -> tuple[str, ...]:
        """Its statements, by number."""
        return tuple(str(n) for n in range(1, len(step.statements) + 1))

    def check(self, step: TrueFalseStep, form: Form) -> TrueFalseResult:
        """Grade fields `statement.<statement id>`, each holding "true" or "false"."""
        answers = _answers(form, STATEMENT_PREFIX, tuple(s.id for s in step.statements))
        results = tuple(_statement_result(s, answers[s.id]) for s in step.statements)
        return TrueFalseResult(step.id, results, sum(r.correct for r in results), len(results))

    def stored(self, result: TrueFalseResult) -> Stored:
        """Keep true or false for each statement, with the score."""
        answers = {s.statement_id: s.chosen for s in result.statements}
        return answers, result.score, result.total


def _statement_result(statement: TrueFalseStatement, value: str) -> StatementResult:
    """Grade one submitted "true" or "false", refusing any other value."""
    if value not in ("true", "false"):
        raise InvalidAnswer(STATEMENT_PREFIX + statement.id, "must be true or false")
    chosen = value == "true"
    return StatementResult(
        statement.id, chosen, statement.answer, chosen == statement.answer, statement.feedback
    )


class QuizStep(ContentModel):
    """Marks the place in a lesson where its quiz is taken; always the last step."""

    id: Slug
    kind: Literal["quiz"]
    title: Text | None = None


class QuizStepKind(StepKind[QuizStep]):
    """The place the lesson's quiz is taken; the quiz itself is graded by check_quiz."""

    name = "quiz"
    model = QuizStep
    holds_quiz = True
    player = "pupil/steps/_quiz.html"


class QuestionKind:
    """Base of a quiz question kind: its content checks and its grading."""

    name: ClassVar[str]
    chooses_many: ClassVar[bool] = False
    """Whether a pupil may choose more than one option (check boxes rather than radios)."""
    shuffles: ClassVar[bool] = True
    """Whether each pupil sees the options in an order of their own (see app.content.order)."""

    def problems(self, question: Question) -> Iterator[Finding]:
        """Refuse a misconception on a correct option, and a wrong option without one."""
        for index, option in enumerate(question.options):
            if option.correct and option.misconception is not None:
                yield f"options.{index}.misconception", "belongs only on incorrect options"
            if not option.correct and option.misconception is None:
                yield (
                    f"options.{index}.misconception",
                    "every incorrect option names a misconception from quizzes/misconceptions.yaml",
                )

    def check(self, question: Question, form: Form) -> QuestionResult:
        """Grade fields `answer.<question id>`, refusing answers sent for other questions."""
        for key in form:
            if key.startswith(ANSWER_PREFIX) and key != ANSWER_PREFIX + question.id:
                raise InvalidAnswer(key, "answers another question")
        return self.grade(question, _values(form, ANSWER_PREFIX + question.id))

    def grade(self, question: Question, chosen: tuple[str, ...]) -> QuestionResult:
        """Grade the ids of the options a pupil chose."""
        field = ANSWER_PREFIX + question.id
        self._check_count(field, chosen)
        known = {option.id for option in question.options}
        for option_id in chosen:
            if option_id not in known:
                raise InvalidAnswer(field, f"'{option_id}' is not an option of this question")
        if len(set(chosen)) != len(chosen):
            raise InvalidAnswer(field, "chooses the same option twice")
        return _question_result(question, frozenset(chosen))

    def _check_count(self, field: str, chosen: tuple[str, ...]) -> None:
        """Refuse a submission with other than exactly one option chosen."""
        if len(chosen) != 1:
            raise InvalidAnswer(field, "needs exactly one option chosen")


def _question_result(question: Question, chosen: frozenset[str]) -> QuestionResult:
    """Build the result for a set of known option ids, keeping the question's option order."""
    picked = tuple(option for option in question.options if option.id in chosen)
    correct = question.correct_ids()
    return QuestionResult(
        question_id=question.id,
        correct=chosen == correct,
        chosen=tuple(option.id for option in picked),
        missed=tuple(option.id for option in question.options if option.id in correct - chosen),
        feedback=tuple(
            OptionFeedback(option.id, option.correct, option.feedback, option.misconception)
            for option in picked
        ),
        misconceptions=tuple(option.misconception for option in picked if option.misconception),
    )


class SingleKind(QuestionKind):
    """A question with exactly one correct option; the pupil chooses one."""

    name = "single"

    def problems(self, question: Question) -> Iterator[Finding]:
        """Also refuse anything but exactly one correct option."""
        yield from super().problems(question)
        if len(question.correct_ids()) != 1:
            yield "options", "needs exactly one correct option"


class MultipleKind(QuestionKind):
    """A question with one or more correct options; the pupil chooses all that apply."""

    name = "multiple"
    chooses_many = True

    def problems(self, question: Question) -> Iterator[Finding]:
        """Also refuse a question with no correct option."""
        yield from super().problems(question)
        if not question.correct_ids():
            yield "options", "needs at least one correct option"

    def _check_count(self, field: str, chosen: tuple[str, ...]) -> None:
        """Refuse a submission with no option chosen."""
        if not chosen:
            raise InvalidAnswer(field, "needs at least one option chosen")


class TrueFalseQuestionKind(SingleKind):
    """A statement with two options, one of them correct, such as True and False."""

    name = "true_false"

    def problems(self, question: Question) -> Iterator[Finding]:
        """Also refuse anything but exactly two options."""
        yield from super().problems(question)
        if len(question.options) != 2:
            yield "options", "needs exactly two options"


STEP_KINDS: Mapping[str, StepKind[Any]] = MappingProxyType(
    {
        kind.name: kind
        for kind in (ExplainKind(), ScenarioKind(), SortKind(), TrueFalseKind(), QuizStepKind())
    }
)
QUESTION_KINDS: Mapping[str, QuestionKind] = MappingProxyType(
    {kind.name: kind for kind in (SingleKind(), MultipleKind(), TrueFalseQuestionKind())}
)


def step_kind(step: Step) -> StepKind[Any]:
    """Return the registered kind of a step."""
    return STEP_KINDS[step.kind]


def question_kind(question: Question) -> QuestionKind:
    """Return the registered kind of a quiz question."""
    return QUESTION_KINDS[question.kind]


def check_step(step: Step, form: Form) -> StepResult:
    """Grade a pupil's submission for one step, through the step's kind."""
    return step_kind(step).check(step, form)


def check_question(question: Question, form: Form) -> QuestionResult:
    """Grade a pupil's answer to one quiz question, through the question's kind."""
    return question_kind(question).check(question, form)


def check_quiz(quiz: Quiz, form: Form) -> QuizResult:
    """Grade a whole quiz from fields `answer.<question id>`; every question needs an answer."""
    ids = {question.id for question in quiz.questions}
    for key in form:
        if key.startswith(ANSWER_PREFIX) and key[len(ANSWER_PREFIX) :] not in ids:
            raise InvalidAnswer(key, "answers a question that is not in this quiz")
    results = tuple(
        question_kind(q).grade(q, _values(form, ANSWER_PREFIX + q.id)) for q in quiz.questions
    )
    score, total = sum(result.correct for result in results), len(results)
    return QuizResult(
        lesson_id=quiz.lesson,
        questions=results,
        score=score,
        total=total,
        percent=score * 100 // total,
        passed=score >= quiz.needed_to_pass(total),
    )
