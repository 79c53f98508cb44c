"""Load every lesson and quiz once, cross-check them and hand out an immutable library."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ValidationError

from app.content.errors import WHOLE_FILE, ContentError, ContentProblem, schema_problems
from app.content.files import canonical_hash, read_yaml
from app.content.framework import (
    SHARED_FILES,
    Framework,
    Outcome,
    Statement,
    lesson_findings,
    load_framework,
    resolve_help,
)
from app.content.kinds import Finding, question_kind, step_kind
from app.content.safe_learning import safeguarding_findings, slow_phrase
from app.content.schema import (
    FORMAT,
    STEP_KINDS,
    Lesson,
    Misconception,
    MisconceptionList,
    Quiz,
    repeated_ids,
)
from app.content.strands import BAND_IDS, STRAND_CODES
from app.content.topics import TOPIC_IDS

IMAGE_FOLDER = "img/lessons"
MISCONCEPTIONS = "misconceptions.yaml"
"""The one list of misconceptions, at the top of the quizzes folder."""
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class RemovedLesson:
    """A lesson id kept in the database whose file has since left the curriculum."""

    id: str
    removed: ClassVar[bool] = True

    @property
    def title(self) -> LazyString:
        """The stored id, marked as no longer in the curriculum (the title went with the file)."""
        return _l("%(lesson)s (no longer in the curriculum)", lesson=self.id)


class Library:
    """Every lesson with its quiz, validated and immutable, ordered by band, topic and id."""

    __slots__ = ("_lessons", "_by_id", "_quizzes", "_hashes", "_misconceptions", "_framework")

    def __init__(
        self,
        lessons: Iterable[Lesson],
        quizzes: Mapping[str, Quiz],
        misconceptions: Iterable[Misconception] = (),
        framework: Framework | None = None,
    ):
        self._framework = framework or Framework()
        self._misconceptions = MappingProxyType({m.id: m for m in misconceptions})
        self._lessons = tuple(sorted(lessons, key=_order))
        self._by_id = MappingProxyType({lesson.id: lesson for lesson in self._lessons})
        self._quizzes = MappingProxyType(
            {lesson.id: quizzes[lesson.id] for lesson in self._lessons}
        )
        self._hashes = MappingProxyType(
            {lesson.id: _content_hash(lesson, quizzes[lesson.id]) for lesson in self._lessons}
        )

    def lessons(self) -> tuple[Lesson, ...]:
        """Return every lesson, ordered by band, then topic, then id."""
        return self._lessons

    def find(self, lesson_id: str) -> Lesson | None:
        """Return the lesson with this id, or None: a stored id may name a removed lesson."""
        return self._by_id.get(lesson_id)

    def listed(self, lesson_ids: Iterable[str]) -> tuple[Lesson | RemovedLesson, ...]:
        """Return the lessons stored ids name, in order, a removed one as a RemovedLesson."""
        return tuple(self.find(lesson_id) or RemovedLesson(lesson_id) for lesson_id in lesson_ids)

    def title(self, lesson_id: str) -> str | LazyString:
        """Return a stored id's lesson title, or the id marked as no longer in the curriculum."""
        return (self.find(lesson_id) or RemovedLesson(lesson_id)).title

    def misconceptions(self) -> tuple[Misconception, ...]:
        """Return the shared list of misconceptions, in the file's order."""
        return tuple(self._misconceptions.values())

    def misconception(self, misconception_id: str) -> Misconception | None:
        """Return a misconception by id, or None: a stored id may have left the list."""
        return self._misconceptions.get(misconception_id)

    def quiz_for(self, lesson_id: str) -> Quiz:
        """Return the quiz that closes a lesson found in this library (KeyError for another)."""
        return self._quizzes[lesson_id]

    def content_hash(self, lesson_id: str) -> str:
        """Return the sha256 of a lesson and its quiz, stored beside its id and version."""
        return self._hashes[lesson_id]

    def by_band(self, band: str) -> tuple[Lesson, ...]:
        """Return the lessons of one band, raising KeyError for an unknown band."""
        _require(band, BAND_IDS)
        return tuple(lesson for lesson in self._lessons if lesson.band == band)

    def for_year(self, year: int) -> tuple[Lesson, ...]:
        """Return the lessons written for one year group (Reception is 0), in library order."""
        return tuple(lesson for lesson in self._lessons if year in lesson.years)

    def statements(self) -> tuple[Statement, ...]:
        """Return every framework statement, in the file's order (strand, then age band)."""
        return tuple(self._framework.statements.values())

    def statement(self, statement_id: str) -> Statement | None:
        """Return a framework statement by id, or None for an id no longer in the file."""
        return self._framework.statements.get(statement_id)

    def rshe_outcome(self, outcome_id: str) -> Outcome | None:
        """Return an RSHE outcome by id, or None for an id no longer in the file."""
        return self._framework.outcomes.get(outcome_id)

    def by_topic(self, topic: str) -> tuple[Lesson, ...]:
        """Return the lessons on one topic in every band, raising KeyError for an unknown topic."""
        _require(topic, TOPIC_IDS)
        return tuple(lesson for lesson in self._lessons if lesson.topic == topic)

    def strands_covered(self, band: str) -> tuple[str, ...]:
        """Return the codes of the strands a band's lessons cover, in framework order."""
        covered = {code for lesson in self.by_band(band) for code in lesson.strands}
        return tuple(code for code in STRAND_CODES if code in covered)

    def export(self) -> dict[str, Any]:
        """Return every lesson with its quiz and hash as JSON-ready data, the same on every run."""
        return {"format": FORMAT, "lessons": [self._export(lesson) for lesson in self._lessons]}

    def _export(self, lesson: Lesson) -> dict[str, Any]:
        """Return one lesson, its content hash and its quiz as JSON-ready data."""
        quiz = self._quizzes[lesson.id].model_dump(mode="json")
        return {
            **lesson.model_dump(mode="json"),
            "content_hash": self._hashes[lesson.id],
            "quiz": quiz,
        }


def _require(value: str, known: tuple[str, ...]) -> None:
    """Raise KeyError for a band or topic id that is not in the list."""
    if value not in known:
        raise KeyError(value)


def _order(lesson: Lesson) -> tuple[int, int, str]:
    """Sort key: band in age order, then topic in the order of the topic list, then id."""
    return BAND_IDS.index(lesson.band), TOPIC_IDS.index(lesson.topic), lesson.id


def _content_hash(lesson: Lesson, quiz: Quiz) -> str:
    """Hash the canonical JSON of a lesson and its quiz; unset optional fields are left out."""
    # `delivery` joined the format later: the default is left out so that older hashes hold
    independent = {"delivery"} if lesson.delivery == "independent" else set()
    return canonical_hash(
        {
            "lesson": lesson.model_dump(mode="json", exclude_none=True, exclude=independent),
            "quiz": quiz.model_dump(mode="json", exclude_none=True),
        }
    )


@dataclass(frozen=True)
class _Source:
    """A content file on disk: its path, how problems name it, its band folder, its data if read."""

    path: Path
    shown: str
    band: str
    raw: Any


def _sources(folder: Path, problems: list[ContentProblem]) -> list[_Source]:
    """Find and parse every YAML file in a lessons or quizzes folder, one band folder deep."""
    if not folder.is_dir():
        problems.append(ContentProblem(folder.name, WHOLE_FILE, "folder not found"))
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        shown = path.relative_to(folder.parent).as_posix()
        place = path.relative_to(folder).parts
        if place == (MISCONCEPTIONS,) and folder.name == "quizzes":
            continue  # the shared list, read by _load_misconceptions
        if len(place) == 1 and place[0] in SHARED_FILES and folder.name == "lessons":
            continue  # help routes, statements and outcomes, read by load_framework
        if path.suffix == ".yml":
            problems.append(ContentProblem(shown, WHOLE_FILE, "must end in .yaml to be read"))
        elif len(place) != 2 or place[0] not in BAND_IDS:
            where = f"{folder.name}/<band>/<id>.yaml, band one of {', '.join(BAND_IDS)}"
            problems.append(ContentProblem(shown, WHOLE_FILE, f"must sit at {where}"))
        else:
            found.append(_Source(path, shown, place[0], read_yaml(path, shown, problems)))
    return found


def _validate(source: _Source, model: type[M], raw: dict[str, Any], problems: list) -> M | None:
    """Validate one file's data against its model, recording every schema problem."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems.extend(schema_problems(source.shown, error, tags=STEP_KINDS))
        return None


def _lesson_findings(source: _Source, lesson: Lesson, static_dir: Path | None) -> Iterator[Finding]:
    """Yield what is wrong with one valid lesson beyond its schema."""
    if lesson.id != source.path.stem:
        yield "id", f"must match the file name, '{source.path.stem}'"
    if lesson.band != source.band:
        yield "band", f"is {lesson.band} but the file sits in the {source.band} folder"
    for index, code in enumerate(lesson.strands):
        if code in lesson.strands[:index]:
            yield f"strands.{index}", f"lists '{code}' twice"
    yield from repeated_ids(lesson)
    yield from _quiz_step_findings(lesson)
    yield from _notes_findings(lesson)
    step_ids = {step.id for step in lesson.steps}
    for index, step in enumerate(lesson.steps):
        kind = step_kind(step)
        for field, reason in kind.problems(step):
            yield f"steps.{index}.{field}", reason
        for field, target in kind.links(step):
            if target not in step_ids:
                yield f"steps.{index}.{field}", f"'{target}' is not the id of a step in this lesson"
        for field, src in kind.images(step):
            if (reason := _image_problem(src, static_dir)) is not None:
                yield f"steps.{index}.{field}", reason


def _notes_findings(lesson: Lesson) -> Iterator[Finding]:
    """Yield what is wrong with the teacher notes: slow or vague safeguarding, a missing part."""
    notes = lesson.teacher_notes
    yield from safeguarding_findings(notes.safeguarding, "teacher_notes.safeguarding")
    if lesson.teacher_led and notes.teaching is None:
        yield "teacher_notes.teaching", "is required for a teacher_led lesson: how to lead it"
    if notes.teaching is not None and (phrase := slow_phrase(notes.teaching)) is not None:
        reason = f"says '{phrase}': a disclosure goes to the DSL straight away"
        yield "teacher_notes.teaching", reason


def _quiz_step_findings(lesson: Lesson) -> Iterator[Finding]:
    """Yield a problem unless the lesson has exactly one quiz step, as its last step."""
    last = len(lesson.steps) - 1
    if not step_kind(lesson.steps[last]).holds_quiz:
        yield "steps", "must end with a step of kind quiz"
    for index, step in enumerate(lesson.steps[:last]):
        if step_kind(step).holds_quiz:
            yield f"steps.{index}.kind", "a lesson has one quiz step, and it comes last"


def _image_problem(src: str, static_dir: Path | None) -> str | None:
    """Return why an image path is unsafe or missing, or None when it is fine."""
    path = PurePosixPath(src)
    if path.is_absolute() or ".." in path.parts or "\\" in src:
        return f"must be a path inside static/{IMAGE_FOLDER}/, such as ks2/chat.png"
    if static_dir is not None and not (static_dir / IMAGE_FOLDER / path).is_file():
        return f"no file at static/{IMAGE_FOLDER}/{src}"
    return None


def _quiz_findings(quiz: Quiz, known: set[str] | None) -> Iterator[Finding]:
    """Yield what is wrong with one valid quiz beyond its schema; known: misconception ids."""
    yield from repeated_ids(quiz)
    for index, question in enumerate(quiz.questions):
        for field, reason in question_kind(question).problems(question):
            yield f"questions.{index}.{field}", reason
        for number, option in enumerate(question.options):
            tag = option.misconception
            if known is not None and tag is not None and tag not in known:
                field = f"questions.{index}.options.{number}.misconception"
                yield field, f"'{tag}' is not a misconception in quizzes/{MISCONCEPTIONS}"


def _load_misconceptions(quizzes_dir: Path, problems: list) -> MisconceptionList | None:
    """Read and check the shared misconception list; None (with a problem) if it is unusable."""
    path = quizzes_dir / MISCONCEPTIONS
    shown = f"{quizzes_dir.name}/{MISCONCEPTIONS}"
    if not path.is_file():
        problems.append(ContentProblem(shown, WHOLE_FILE, "file not found"))
        return None
    source = _Source(path, shown, "", read_yaml(path, shown, problems))
    if source.raw is None:
        return None
    found = _validate(source, MisconceptionList, source.raw, problems)
    if found is not None:
        _record(source, repeated_ids(found), problems)
    return found


def _record(source: _Source, findings: Iterable[Finding], problems: list) -> None:
    """Add findings about one file to the problems, naming the file."""
    problems.extend(ContentProblem(source.shown, field, reason) for field, reason in findings)


def _load_lessons(
    sources: list[_Source], static_dir: Path | None, framework: Framework, problems: list
) -> dict[str, tuple[_Source, Lesson]]:
    """Validate lesson files and return them by id, recording problems and repeated ids."""
    lessons: dict[str, tuple[_Source, Lesson]] = {}
    for source in sources:
        if source.raw is None:
            continue
        raw = dict(source.raw)
        raw["help"], help_problems = resolve_help(raw.get("help"), source.band, framework)
        _record(source, help_problems, problems)
        lesson = _validate(source, Lesson, raw, problems)
        if lesson is None:
            continue
        _record(source, _lesson_findings(source, lesson, static_dir), problems)
        _record(source, lesson_findings(lesson, framework), problems)
        if lesson.id in lessons:
            reason = f"'{lesson.id}' is already used by {lessons[lesson.id][0].shown}"
            problems.append(ContentProblem(source.shown, "id", reason))
        else:
            lessons[lesson.id] = (source, lesson)
    return lessons


def _load_quizzes(
    sources: list[_Source], known: set[str] | None, problems: list
) -> list[tuple[_Source, Quiz]]:
    """Validate quiz files, taking the lesson id from the file name when `lesson` is left out."""
    quizzes = []
    for source in sources:
        if source.raw is None:
            continue
        quiz = _validate(source, Quiz, {"lesson": source.path.stem, **source.raw}, problems)
        if quiz is not None:
            _record(source, _quiz_findings(quiz, known), problems)
            quizzes.append((source, quiz))
    return quizzes


def _claimed(sources: list[_Source], field: str) -> set[str]:
    """Return the ids files give in a field or by file name, readable or not, to quiet echoes."""
    return {str((source.raw or {}).get(field, source.path.stem)) for source in sources}


def _pair(
    lessons: dict[str, tuple[_Source, Lesson]],
    quizzes: list[tuple[_Source, Quiz]],
    claims: tuple[set[str], set[str]],
    problems: list,
) -> dict[str, Quiz]:
    """Match each quiz to its lesson, recording orphan quizzes, second quizzes and lone lessons."""
    lesson_claims, quiz_claims = claims
    paired: dict[str, tuple[_Source, Quiz]] = {}
    for source, quiz in quizzes:
        owner = lessons.get(quiz.lesson)
        if owner is None:
            if quiz.lesson not in lesson_claims:
                reason = f"'{quiz.lesson}' is not the id of any lesson"
                problems.append(ContentProblem(source.shown, "lesson", reason))
        elif quiz.lesson in paired:
            reason = f"lesson '{quiz.lesson}' already has a quiz, {paired[quiz.lesson][0].shown}"
            problems.append(ContentProblem(source.shown, "lesson", reason))
        else:
            if owner[1].band != source.band:
                reason = (
                    f"is a {owner[1].band} lesson, so the quiz belongs in quizzes/{owner[1].band}/"
                )
                problems.append(ContentProblem(source.shown, "lesson", reason))
            paired[quiz.lesson] = (source, quiz)
    for lesson_id, (source, lesson) in lessons.items():
        if lesson_id not in paired and lesson_id not in quiz_claims:
            reason = f"has no quiz; add quizzes/{lesson.band}/{lesson.id}.yaml"
            problems.append(ContentProblem(source.shown, "id", reason))
    return {lesson_id: quiz for lesson_id, (_, quiz) in paired.items()}


def load_library(lessons_dir: Path, quizzes_dir: Path, static_dir: Path | None = None) -> Library:
    """Parse and check every lesson and quiz file, raising ContentError with every problem found."""
    problems: list[ContentProblem] = []
    lesson_sources = _sources(Path(lessons_dir), problems)
    quiz_sources = _sources(Path(quizzes_dir), problems)
    framework = load_framework(Path(lessons_dir), problems) if Path(lessons_dir).is_dir() else None
    lessons = _load_lessons(lesson_sources, static_dir, framework or Framework(), problems)
    listed = (
        _load_misconceptions(Path(quizzes_dir), problems) if Path(quizzes_dir).is_dir() else None
    )
    known = {m.id for m in listed.misconceptions} if listed is not None else None
    quizzes = _load_quizzes(quiz_sources, known, problems)
    claims = (_claimed(lesson_sources, "id"), _claimed(quiz_sources, "lesson"))
    paired = _pair(lessons, quizzes, claims, problems)
    if problems:
        raise ContentError(problems)
    misconceptions = listed.misconceptions if listed is not None else ()
    return Library((lesson for _, lesson in lessons.values()), paired, misconceptions, framework)
