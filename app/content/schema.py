"""Shapes of lesson and quiz files as frozen pydantic models; step shapes come from the registry."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, Field, StrictBool, StrictInt, StringConstraints

from app.content.fields import BandId, ContentModel, Slug, StrandCode, Text, TopicId
from app.content.kinds import STEP_KINDS as REGISTERED_KINDS
from app.content.kinds import StepKind

FORMAT = 1
"""The one file format version this loader reads; a file declares it with `format: 1`."""


def step_union(kinds: Iterable[StepKind[Any]]) -> Any:
    """Build the type of a lesson step: one of the kinds' models, told apart by its `kind`."""
    models = tuple(kind.model for kind in kinds)
    # Union[...] takes a tuple built at run time; the `X | Y` that UP007 asks for cannot.
    return Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007


Step = step_union(REGISTERED_KINDS.values())
"""A lesson step of any registered kind (app/content/kinds.py lists them, in this order)."""
STEP_MODELS = tuple(kind.model for kind in REGISTERED_KINDS.values())
STEP_KINDS = frozenset(REGISTERED_KINDS)
"""The kinds a lesson step can be; pydantic names them in error locations, problems do not."""


class TeacherNotes(ContentModel):
    """What a teacher needs before teaching the lesson to a class."""

    prior_learning: Text
    discussion: tuple[Text, ...] = Field(min_length=1)
    safeguarding: Text
    timing: Text
    teaching: Text | None = None  # how to lead the lesson; required when delivery is teacher_led


class HelpRoute(ContentModel):
    """Somewhere a pupil can turn for help, fit for their age."""

    name: Text
    detail: Text


class LessonHelp(HelpRoute):
    """A route a lesson names by id, in its band's wording from lessons/help-routes.yaml.

    A lesson file lists route ids; the library puts each route's wording in before validating.
    """

    id: Slug


class Claim(ContentModel):
    """A legal or factual claim a lesson makes, where it can be checked, and when it last was."""

    claim: Text
    source: Text
    checked: datetime.date


class Lesson(ContentModel):
    """One lesson file: what it teaches, to whom, and its ordered steps."""

    format: Literal[1]
    id: Slug
    version: StrictInt = Field(ge=1)
    title: Text
    band: BandId
    years: tuple[StrictInt, ...] = Field(min_length=1)  # year groups it is for; Reception is 0
    topic: TopicId
    strands: tuple[StrandCode, ...] = Field(min_length=1)
    statements: tuple[Slug, ...] = ()  # ids from lessons/statements.yaml
    rshe: tuple[Slug, ...] = ()  # ids from lessons/rshe.yaml
    summary: Annotated[Text, StringConstraints(max_length=200)]
    objectives: tuple[Text, ...] = Field(min_length=1)
    duration_minutes: StrictInt = Field(ge=5, le=120)
    delivery: Literal["independent", "teacher_led"] = "independent"
    teacher_notes: TeacherNotes
    help: tuple[LessonHelp, ...] = Field(min_length=1)
    claims: tuple[Claim, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)
    removed: ClassVar[bool] = False  # see library.RemovedLesson, which stands in for one

    @property
    def teacher_led(self) -> bool:
        """Whether pupils open this lesson only after a teacher has taught it to their class."""
        return self.delivery == "teacher_led"

    def find_step(self, step_id: str) -> Step | None:
        """Return the step with this id, or None (an id from a URL may name no step)."""
        return next((step for step in self.steps if step.id == step_id), None)

    def step(self, step_id: str) -> Step:
        """Return the step with this id, raising KeyError for an unknown id."""
        found = self.find_step(step_id)
        if found is None:
            raise KeyError(step_id)
        return found

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
    misconception: Text | None = None  # an id from quizzes/misconceptions.yaml (the library checks)


class Misconception(ContentModel):
    """A misunderstanding a wrong answer reveals, shared by every quiz so schools can count it."""

    id: Slug
    label: Text
    explanation: Text


class MisconceptionList(ContentModel):
    """The file quizzes/misconceptions.yaml: the one list every wrong option is tagged from."""

    format: Literal[1]
    misconceptions: tuple[Misconception, ...] = Field(min_length=1)


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
