"""Load and check aup/understanding/: for each pupil AUP statement, its lesson and one question.

Each file names the AUP id and version it was written for, and each entry names its statement
by position, so a new AUP version (whose statements may have changed) is reported by `content
check` until someone has checked the questions against it and updated the version. Lessons are
checked against the loaded lessons: one lesson for each band of the AUP's audience (the
secondary AUP covers Key Stages 3 and 4, so it names a lesson of each).
"""

from __future__ import annotations

import hashlib
import pathlib
import random
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.content.aup import AupLibrary
from app.content.errors import WHOLE_FILE, ContentError, ContentProblem, schema_problems
from app.content.files import read_yaml
from app.content.library import Library
from app.content.strands import band_for_year
from app.models.years import YEARS, pupil_audience

FORMAT = 1
PUPIL_AUDIENCES: tuple[str, ...] = ("ks1", "ks2", "secondary", "sixth_form")
PICTURED = ("ks1",)
"""Audiences whose options each need a picture and whose questions need read-aloud text."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _fail(reason: str) -> PydanticCustomError:
    """Build a validation error whose message is our plain-English reason."""
    return PydanticCustomError("understanding", reason)


def bands_of(audience: str) -> tuple[str, ...]:
    """The lesson bands a pupil AUP's audience is taught from, in year order."""
    return tuple(dict.fromkeys(band_for_year(y) for y in YEARS if pupil_audience(y) == audience))


class Choice(BaseModel):
    """One option of a question: its words, its picture (KS1) and whether it is the right one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: Text
    picture: Text | None = None
    correct: bool = False

    @field_validator("picture")
    @classmethod
    def _picture_exists(cls, picture: str | None, info: ValidationInfo) -> str | None:
        """Check a named picture is an AUP icon that exists."""
        icon_dir = (info.context or {}).get("icon_dir")
        if picture is not None and icon_dir is not None:
            if not (pathlib.Path(icon_dir) / f"{picture}.svg").is_file():
                reason = f"names picture '{picture}', but static/img/aup/{picture}.svg is missing"
                raise _fail(reason)
        return picture


class Check(BaseModel):
    """One statement's lessons and its short question with two or three options."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    statement: int = Field(ge=0)
    lessons: tuple[Text, ...] = Field(min_length=1)
    question: Text
    read_aloud: Text | None = None
    options: tuple[Choice, ...] = Field(min_length=2, max_length=3)

    @field_validator("options")
    @classmethod
    def _one_right(cls, options: tuple[Choice, ...], info: ValidationInfo) -> tuple:
        """Require exactly one right option, distinct texts, and pictures for KS1 (all differ)."""
        if sum(o.correct for o in options) != 1:
            raise _fail("must have exactly one option with 'correct: true'")
        if len({o.text for o in options}) != len(options):
            raise _fail("must all have different texts")
        pictures = [o.picture for o in options]
        if (info.context or {}).get("audience") in PICTURED:
            if None in pictures or len(set(pictures)) != len(pictures):
                raise _fail("each needs a picture, a different one for each option (KS1)")
        return options

    @model_validator(mode="after")
    def _read_aloud_for_ks1(self, info: ValidationInfo) -> Check:
        """Require read-aloud words for KS1 questions."""
        if (info.context or {}).get("audience") in PICTURED and self.read_aloud is None:
            raise _fail("needs 'read_aloud': the words read to a KS1 pupil")
        return self

    @property
    def right(self) -> int:
        """The index of the right option, as the file lists them."""
        return next(n for n, option in enumerate(self.options) if option.correct)


class Understanding(BaseModel):
    """One pupil AUP's checks, for the AUP id and version they were written for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: int = Field(strict=True)
    aup: Text
    version: Text
    statements: tuple[Check, ...] = Field(min_length=1)

    @field_validator("format")
    @classmethod
    def _format_is_known(cls, value: int) -> int:
        """Accept only the file format this loader understands."""
        if value != FORMAT:
            raise _fail(f"must be {FORMAT} (this loader reads format {FORMAT} only)")
        return value

    def check(self, statement: int) -> Check | None:
        """The check of the statement at this position, or None."""
        return next((c for c in self.statements if c.statement == statement), None)

    def lesson_for(self, statement: int, band: str, library: Library) -> str | None:
        """The id of the lesson of this band that teaches the statement, or None."""
        found = self.check(statement)
        for lesson_id in found.lessons if found else ():
            lesson = library.find(lesson_id)
            if lesson is not None and lesson.band == band:
                return lesson_id
        return None


class UnderstandingLibrary:
    """Every pupil AUP's checks, by audience."""

    __slots__ = ("_by_audience",)

    def __init__(self, found: dict[str, Understanding]):
        self._by_audience = MappingProxyType(dict(found))

    def get(self, audience: str) -> Understanding | None:
        """The checks for an audience's AUP, or None (staff, parents and visitors have none)."""
        return self._by_audience.get(audience)

    def audiences(self) -> tuple[str, ...]:
        """The audiences that have checks."""
        return tuple(self._by_audience)


def shuffled(items: Sequence[Any], seed: str) -> list[int]:
    """Positions of items in the order one pupil sees them: varied per seed, stable for it."""
    order = list(range(len(items)))
    random.Random(hashlib.sha256(seed.encode()).digest()).shuffle(order)  # noqa: S311
    return order


def load_understanding(
    directory: pathlib.Path, icon_dir: pathlib.Path | None = None
) -> UnderstandingLibrary:
    """Load one file per pupil audience, raising ContentError listing every problem."""
    directory = pathlib.Path(directory)
    problems: list[ContentProblem] = []
    found: dict[str, Understanding] = {}
    for audience in PUPIL_AUDIENCES:
        path = directory / f"{audience}.yaml"
        rel = f"aup/understanding/{audience}.yaml"
        if not path.is_file():
            reason = "is missing; every pupil AUP needs one"
            problems.append(ContentProblem(rel, WHOLE_FILE, reason))
            continue
        data = read_yaml(path, rel, problems)
        if data is None:
            continue
        try:
            context = {"audience": audience, "icon_dir": icon_dir}
            found[audience] = Understanding.model_validate(data, context=context)
        except ValidationError as error:
            problems += schema_problems(rel, error)
    if problems:
        raise ContentError(problems)
    return UnderstandingLibrary(found)


def cross_check(
    found: UnderstandingLibrary, aups: AupLibrary, library: Library
) -> list[ContentProblem]:
    """Problems between the checks and the loaded AUPs and lessons."""
    problems = []
    for audience in found.audiences():
        problems += _against(audience, found.get(audience), aups.get(audience), library)
    return problems


def _against(audience: str, checks: Understanding, aup: Any, library: Library) -> list:
    """One file's problems against its AUP (id, version, statements) and the lessons."""
    rel = f"aup/understanding/{audience}.yaml"
    problems = []
    if checks.aup != aup.id:
        reason = f"must be '{aup.id}', the id of aup/{audience}.yaml"
        problems.append(ContentProblem(rel, "aup", reason))
    if checks.version != aup.version:
        reason = (
            f"was written for version '{checks.version}' but aup/{audience}.yaml is now "
            f"'{aup.version}': check every question against the new statements, then update it"
        )
        problems.append(ContentProblem(rel, "version", reason))
    positions = [c.statement for c in checks.statements]
    for n in range(len(aup.statements)):
        if positions.count(n) != 1:
            reason = f"statement {n} needs exactly one entry (it has {positions.count(n)})"
            problems.append(ContentProblem(rel, "statements", reason))
    for n, check in enumerate(checks.statements):
        if check.statement >= len(aup.statements):
            reason = f"is {check.statement}, but the AUP has {len(aup.statements)} statements"
            problems.append(ContentProblem(rel, f"statements.{n}.statement", reason))
        problems += _lesson_problems(rel, n, check, audience, library)
    return problems


def _lesson_problems(rel: str, n: int, check: Check, audience: str, library: Library) -> list:
    """Each lesson must exist, and there must be exactly one for each of the audience's bands."""
    field, problems, bands = f"statements.{n}.lessons", [], []
    for lesson_id in check.lessons:
        lesson = library.find(lesson_id)
        if lesson is None:
            problems.append(ContentProblem(rel, field, f"'{lesson_id}' is not a lesson"))
        else:
            bands.append(lesson.band)
    if not problems and sorted(bands) != sorted(bands_of(audience)):
        wanted = ", ".join(bands_of(audience))
        reason = f"must name one lesson for each band of this AUP ({wanted}), in any order"
        problems.append(ContentProblem(rel, field, reason))
    return problems


def all_checks(found: UnderstandingLibrary) -> Iterable[tuple[str, Check]]:
    """Every (audience, check), for tests and reports."""
    for audience in found.audiences():
        for check in found.get(audience).statements:
            yield audience, check
