"""Shapes of lesson and quiz files as frozen pydantic models."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)

from app.content.strands import BAND_IDS, STRAND_CODES
from app.content.topics import TOPIC_IDS

FORMAT = 1
"""The one file format version this loader reads; a file declares it with `format: 1`."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Outcome = Literal["good", "ok", "poor"]


def _known(value: str, allowed: tuple[str, ...], what: str) -> str:
    """Return value if it is one of allowed, else raise a ValueError that lists the choices."""
    if value not in allowed:
        raise ValueError(f"'{value}' is not a known {what}; use one of: {', '.join(allowed)}")
    return value


BandId = Annotated[str, AfterValidator(lambda value: _known(value, BAND_IDS, "band"))]
TopicId = Annotated[str, AfterValidator(lambda value: _known(value, TOPIC_IDS, "topic"))]
StrandCode = Annotated[str, AfterValidator(lambda value: _known(value, STRAND_CODES, "strand"))]


class ContentModel(BaseModel):
    """Base of every content model: immutable once loaded, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


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


class QuizStep(ContentModel):
    """Marks the place in a lesson where its quiz is taken; always the last step."""

    id: Slug
    kind: Literal["quiz"]
    title: Text | None = None


Step = Annotated[
    ExplainStep | ScenarioStep | SortStep | TrueFalseStep | QuizStep,
    Field(discriminator="kind"),
]
STEP_MODELS = (ExplainStep, ScenarioStep, SortStep, TrueFalseStep, QuizStep)


class TeacherNotes(ContentModel):
    """What a teacher needs before teaching the lesson to a class."""

    prior_learning: Text
    discussion: tuple[Text, ...] = Field(min_length=1)
    safeguarding: Text
    timing: Text


class HelpRoute(ContentModel):
    """Somewhere a pupil can turn for help, fit for their age."""

    name: Text
    detail: Text


class Lesson(ContentModel):
    """One lesson file: what it teaches, to whom, and its ordered steps."""

    format: Literal[1]
    id: Slug
    version: StrictInt = Field(ge=1)
    title: Text
    band: BandId
    topic: TopicId
    strands: tuple[StrandCode, ...] = Field(min_length=1)
    summary: Annotated[Text, StringConstraints(max_length=200)]
    objectives: tuple[Text, ...] = Field(min_length=1)
    duration_minutes: StrictInt = Field(ge=5, le=120)
    teacher_notes: TeacherNotes
    help: tuple[HelpRoute, ...] = Field(min_length=1)
    steps: tuple[Step, ...] = Field(min_length=1)
    removed: ClassVar[bool] = False  # see library.RemovedLesson, which stands in for one

    def step(self, step_id: str) -> Step:
        """Return the step with this id, raising KeyError for an unknown id."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_after(self, step_id: str) -> Step | None:
        """Return the step that follows this one in order, or None after the last step."""
        position = self.steps.index(self.step(step_id))
        return self.steps[position + 1] if position + 1 < len(self.steps) else None


class Option(ContentModel):
    """One answer to a quiz question, with feedback that teaches whichever way it is chosen."""

    id: Slug
    text: Text
    correct: StrictBool
    feedback: Text
    misconception: Text | None = None


class Question(ContentModel):
    """One quiz question of kind single, multiple or true_false."""

    id: Slug
    kind: Literal["single", "multiple", "true_false"]
    text: Text
    options: tuple[Option, ...] = Field(min_length=2)

    def option(self, option_id: str) -> Option:
        """Return the option with this id, raising KeyError for an unknown id."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def correct_ids(self) -> frozenset[str]:
        """Return the ids of the options that are correct."""
        return frozenset(option.id for option in self.options if option.correct)


class Quiz(ContentModel):
    """One quiz file: the questions that close a lesson and the mark needed to pass."""

    format: Literal[1]
    lesson: Slug
    pass_mark: StrictInt = Field(ge=1, le=100)
    questions: tuple[Question, ...] = Field(min_length=1)

    def needed_to_pass(self, total: int | None = None) -> int:
        """How many right answers out of total (this quiz's length) reach the pass mark."""
        total = len(self.questions) if total is None else total
        return -(-self.pass_mark * total // 100)  # the pass mark is a percentage: round up

    def question(self, question_id: str) -> Question:
        """Return the question with this id, raising KeyError for an unknown id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


def repeated_ids(model: BaseModel, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field, reason) for each id used twice in one list, anywhere inside a model."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from repeated_ids(value, f"{path}{name}.")
        elif isinstance(value, tuple):
            yield from _repeated_in_list(value, f"{path}{name}")


def _repeated_in_list(items: tuple[Any, ...], path: str) -> Iterator[tuple[str, str]]:
    """Yield a problem for each entry whose id an earlier entry of the list already uses."""
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, BaseModel):
            continue
        item_id = getattr(item, "id", None)
        if item_id in first:
            yield f"{path}.{index}.id", f"'{item_id}' is already used by {path}.{first[item_id]}"
        elif item_id is not None:
            first[item_id] = index
        yield from repeated_ids(item, f"{path}.{index}.")


STEP_KINDS = frozenset(get_args(model.model_fields["kind"].annotation)[0] for model in STEP_MODELS)
"""The kinds a lesson step can be; pydantic names them in error locations, problems do not."""
