"""The shared curriculum files beside the lessons: help routes, framework statements, RSHE outcomes.

Lessons name these by id (`help`, `statements`, `rshe`), so a number, an address or an outcome's
wording is written once, in lessons/help-routes.yaml, lessons/statements.yaml and lessons/rshe.yaml.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from app.content.errors import WHOLE_FILE, ContentProblem, schema_problems
from app.content.fields import BandId, ContentModel, Slug, StrandCode, Text
from app.content.schema import repeated_ids
from app.content.strands import BAND_IDS, band
from app.content.topics import topic

HELP_ROUTES = "help-routes.yaml"
STATEMENTS = "statements.yaml"
RSHE = "rshe.yaml"
SHARED_FILES = (HELP_ROUTES, STATEMENTS, RSHE)
"""The files at the top of the lessons folder that are not lessons."""

AGES: dict[str, tuple[int, ...]] = {
    "4-7": (0, 1, 2),
    "7-11": (3, 4, 5, 6),
    "11-14": (7, 8, 9),
    "14-18": (10, 11, 12, 13),
}
"""The framework's age bands and the year groups (Reception is 0) each one spans."""
AGE_ORDER = tuple(AGES)
LAST_PRIMARY_YEAR = 6


class Wording(ContentModel):
    """How a help route reads for one band of pupils."""

    name: Text
    detail: Text


class Route(ContentModel):
    """Somewhere to turn for help: the first band that may name it, its source and its wording."""

    id: Slug
    from_: BandId = Field(alias="from")
    source: Text
    checked: datetime.date
    wording: dict[BandId, Wording] = Field(min_length=1)

    def for_band(self, band_id: str) -> Wording | None:
        """The wording for this band, or the nearest earlier band's; None before `from`."""
        position = BAND_IDS.index(band_id)
        if position < BAND_IDS.index(self.from_):
            return None
        for earlier in reversed(BAND_IDS[: position + 1]):
            if earlier in self.wording:
                return self.wording[earlier]
        return None


class RouteList(ContentModel):
    """The file lessons/help-routes.yaml."""

    format: Literal[1]
    routes: tuple[Route, ...] = Field(min_length=1)


class Statement(ContentModel):
    """One Education for a Connected World outcome, in our words, with our stable id."""

    id: Slug
    strand: StrandCode
    ages: Literal["4-7", "7-11", "11-14", "14-18"]
    text: Text

    @property
    def years(self) -> tuple[int, ...]:
        """The year groups this outcome's age band spans."""
        return AGES[self.ages]


class StatementList(ContentModel):
    """The file lessons/statements.yaml."""

    format: Literal[1]
    statements: tuple[Statement, ...] = Field(min_length=1)


class Outcome(ContentModel):
    """One outcome of the statutory RSHE guidance (2025), in our words, with our stable id."""

    id: Slug
    phase: Literal["primary", "secondary"]
    text: Text


class OutcomeList(ContentModel):
    """The file lessons/rshe.yaml."""

    format: Literal[1]
    outcomes: tuple[Outcome, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Framework:
    """The three shared files, read and checked; empty where a file could not be used."""

    routes: dict[str, Route] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    usable: bool = True  # False when a shared file had problems: lessons are not checked against it


def load_framework(lessons_dir: Path, problems: list[ContentProblem]) -> Framework:
    """Read the shared files at the top of the lessons folder, recording every problem."""
    from app.content.files import read_yaml

    found: dict[str, Any] = {}
    usable = True
    for name, model in ((HELP_ROUTES, RouteList), (STATEMENTS, StatementList), (RSHE, OutcomeList)):
        path = lessons_dir / name
        shown = f"{lessons_dir.name}/{name}"
        if not path.is_file():
            problems.append(ContentProblem(shown, WHOLE_FILE, "file not found"))
            usable = False
            continue
        raw = read_yaml(path, shown, problems)
        if raw is None:
            usable = False
            continue
        try:
            parsed = model.model_validate(raw)
        except ValidationError as error:
            problems.extend(schema_problems(shown, error))
            usable = False
            continue
        findings = [*repeated_ids(parsed), *_file_findings(parsed)]
        problems.extend(ContentProblem(shown, where, reason) for where, reason in findings)
        usable = usable and not findings
        found[name] = parsed
    return Framework(
        routes={r.id: r for r in found[HELP_ROUTES].routes} if HELP_ROUTES in found else {},
        statements={s.id: s for s in found[STATEMENTS].statements} if STATEMENTS in found else {},
        outcomes={o.id: o for o in found[RSHE].outcomes} if RSHE in found else {},
        usable=usable,
    )


def _file_findings(parsed: ContentModel) -> Iterator[tuple[str, str]]:
    """Yield what is wrong inside a shared file beyond its shape."""
    if isinstance(parsed, RouteList):
        for index, route in enumerate(parsed.routes):
            if route.for_band(route.from_) is None:
                yield f"routes.{index}.wording", f"needs wording for {route.from_}, its first band"
            for band_id in route.wording:
                if BAND_IDS.index(band_id) < BAND_IDS.index(route.from_):
                    reason = f"has wording for {band_id}, before its first band {route.from_}"
                    yield f"routes.{index}.wording.{band_id}", reason
    if isinstance(parsed, StatementList):
        for index, statement in enumerate(parsed.statements):
            expected = f"{statement.strand.lower()}-{statement.ages}-"
            if not statement.id.startswith(expected):
                yield f"statements.{index}.id", f"must start with '{expected}' (strand and ages)"


def resolve_help(raw: Any, band_id: str, framework: Framework) -> tuple[Any, list[tuple[str, str]]]:
    """Turn a lesson's list of help route ids into the routes' wording for its band.

    Returns the value to validate in place of `help` and the problems found; anything that is not
    a list of ids is returned unchanged for the schema to refuse.
    """
    if not isinstance(raw, list) or not framework.routes or band_id not in BAND_IDS:
        return raw, []
    resolved, problems = [], []
    for index, entry in enumerate(raw):
        if not isinstance(entry, str):
            reason = f"must be the id of a route in lessons/{HELP_ROUTES}"
            problems.append((f"help.{index}", reason))
            continue
        route = framework.routes.get(entry)
        if route is None:
            reason = f"'{entry}' is not a help route in lessons/{HELP_ROUTES}; add it there first"
            problems.append((f"help.{index}", reason))
            continue
        wording = route.for_band(band_id)
        if wording is None:
            reason = f"'{entry}' is for {band(route.from_).id} and older, not {band_id}"
            problems.append((f"help.{index}", reason))
            continue
        resolved.append({"id": route.id, "name": wording.name, "detail": wording.detail})
    return resolved, problems


def lesson_findings(lesson: Any, framework: Framework) -> Iterator[tuple[str, str]]:
    """Yield what is wrong with a lesson's years, statements and RSHE outcomes."""
    own = band(lesson.band).years + ((0,) if lesson.band == BAND_IDS[0] else ())
    for index, year in enumerate(lesson.years):
        if year not in own:
            years = ", ".join(str(y) for y in own)
            yield f"years.{index}", f"{year} is not a year group of {lesson.band} ({years})"
        elif year in lesson.years[:index]:
            yield f"years.{index}", f"lists {year} twice"
    first = topic(lesson.topic).first_year
    if min(lesson.years) < first:
        yield "years", f"{lesson.topic} is taught from year {first}, not year {min(lesson.years)}"
    if not framework.usable:
        return
    yield from _statement_findings(lesson, framework)
    for index, outcome_id in enumerate(lesson.rshe):
        outcome = framework.outcomes.get(outcome_id)
        if outcome is None:
            yield f"rshe.{index}", f"'{outcome_id}' is not an outcome in lessons/{RSHE}"
            continue
        phase = "primary" if min(lesson.years) <= LAST_PRIMARY_YEAR else "secondary"
        if outcome.phase != phase:
            reason = f"'{outcome_id}' is a {outcome.phase} outcome; this lesson is {phase}"
            yield f"rshe.{index}", reason
        if outcome_id in lesson.rshe[:index]:
            yield f"rshe.{index}", f"lists '{outcome_id}' twice"


def _statement_findings(lesson: Any, framework: Framework) -> Iterator[tuple[str, str]]:
    """Yield a problem for an unknown statement, one outside the lesson's ages or strands."""
    youngest = min(lesson.years)
    for index, statement_id in enumerate(lesson.statements):
        statement = framework.statements.get(statement_id)
        if statement is None:
            reason = f"'{statement_id}' is not a statement in lessons/{STATEMENTS}"
            yield f"statements.{index}", reason
            continue
        if statement_id in lesson.statements[:index]:
            yield f"statements.{index}", f"lists '{statement_id}' twice"
        position = AGE_ORDER.index(statement.ages)
        fits = set(statement.years) & set(lesson.years)
        # a lesson may revisit the band just before its own (Year 3 building on ages 4-7)
        revisits = position + 1 < len(AGE_ORDER) and youngest in AGES[AGE_ORDER[position + 1]]
        if not fits and not revisits:
            years = list(lesson.years)
            reason = f"'{statement_id}' is for ages {statement.ages}, not years {years}"
            yield f"statements.{index}", reason
        if statement.strand not in lesson.strands:
            reason = f"'{statement_id}' is in {statement.strand}: add it to strands"
            yield f"statements.{index}", reason
