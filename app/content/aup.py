"""Load and check the AUP files in aup/ once, so every screen shows a validated, immutable text."""

from __future__ import annotations

import datetime
import pathlib
import re
from collections.abc import Iterable
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.content.errors import WHOLE_FILE, ContentError, ContentProblem, schema_problems
from app.content.files import canonical_hash, read_yaml

AUDIENCES: tuple[str, ...] = ("ks1", "ks2", "secondary", "sixth_form", "staff", "parent", "visitor")
FORMAT = 1
DEFAULT_LOCALE = "en"
KS1_STATEMENTS = (5, 8)
PUPIL_AUDIENCES: tuple[str, ...] = ("ks1", "ks2", "secondary", "sixth_form")
PICTURED_AUDIENCES: tuple[str, ...] = ("ks1", "ks2")
SHORT_MAX_STATEMENTS = 6
SHORT_MAX_WORDS = 30  # per short statement, and for the short intro
_NEEDS_FILE = "every audience needs an English file"

_ICON_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LOCALE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _fail(reason: str) -> PydanticCustomError:
    """Build a validation error whose message is our plain-English reason."""
    return PydanticCustomError("aup", reason)


def _as_file_name_says(value: str, info: ValidationInfo, part: str) -> str:
    """Return value when it matches the file name's part (audience or locale), else refuse it."""
    expected = _context(info).get(part)
    if expected is not None and value != expected:
        raise _fail(f"is '{value}' but the file name says '{expected}'; they must match")
    return value


def _context(info: ValidationInfo) -> dict[str, Any]:
    """Return the loader's context (file audience, locale, icon dir), or {} when built in code."""
    return info.context or {}


class AupStatement(BaseModel):
    """One first-person promise in an AUP, with an optional decorative icon."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: Text
    icon: Text | None = Field(default=None, validate_default=True)

    @field_validator("icon")
    @classmethod
    def _icon_is_known(cls, icon: str | None, info: ValidationInfo) -> str | None:
        """Require icons for KS1 and check each named icon is a safe name with an SVG file."""
        ctx = _context(info)
        if icon is None:
            if ctx.get("audience") == "ks1":
                raise _fail("is required: every KS1 statement needs an icon")
            return None
        if not _ICON_NAME.fullmatch(icon):
            raise _fail(f"'{icon}' is not an icon name (lower-case letters, digits and hyphens)")
        icon_dir = ctx.get("icon_dir")
        if icon_dir is not None and not (icon_dir / f"{icon}.svg").is_file():
            raise _fail(f"names icon '{icon}', but {ctx['icon_label']}{icon}.svg does not exist")
        return icon


class AupShortStatement(AupStatement):
    """One promise of the short form, naming the full statements (from 1) it sums up."""

    covers: tuple[Annotated[int, Field(strict=True, ge=1)], ...] = Field(min_length=1)


class AupShort(BaseModel):
    """A pupil AUP's short form: its key promises on one screen, shown at most logons."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intro: Text
    statements: tuple[AupShortStatement, ...] = Field(min_length=1)


class Aup(BaseModel):
    """One audience's Acceptable Use Policy in one language, as a user is shown it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: int = Field(strict=True)
    id: Text
    audience: Text
    version: Text
    effective: datetime.date
    title: Text
    intro: Text
    statements: tuple[AupStatement, ...]
    closing: Text
    decline_message: Text
    locale: Text = Field(default=DEFAULT_LOCALE, validate_default=True)
    short: AupShort | None = None

    _text_hash: str = PrivateAttr(default="")
    _short_hash: str | None = PrivateAttr(default=None)

    @field_validator("format")
    @classmethod
    def _format_is_known(cls, value: int) -> int:
        """Accept only the file format this loader understands."""
        if value != FORMAT:
            raise _fail(f"must be {FORMAT} (this loader reads format {FORMAT} only)")
        return value

    @field_validator("audience")
    @classmethod
    def _audience_is_known(cls, value: str, info: ValidationInfo) -> str:
        """Accept only known audiences, matching the file name when loaded from a file."""
        if value not in AUDIENCES:
            raise _fail(f"'{value}' is not an audience; use one of: {', '.join(AUDIENCES)}")
        return _as_file_name_says(value, info, "audience")

    @field_validator("locale")
    @classmethod
    def _locale_matches_file(cls, value: str, info: ValidationInfo) -> str:
        """Check the locale is well formed and matches the file name's locale part."""
        if not _LOCALE.fullmatch(value):
            raise _fail(f"'{value}' is not a language code such as 'en' or 'cy'")
        return _as_file_name_says(value, info, "locale")

    @field_validator("statements")
    @classmethod
    def _statement_count(cls, value: tuple[AupStatement, ...], info: ValidationInfo) -> tuple:
        """Require at least one statement, and 5 to 8 for KS1."""
        if not value:
            raise _fail("must list at least one statement")
        low, high = KS1_STATEMENTS
        if _context(info).get("audience") == "ks1" and not low <= len(value) <= high:
            raise _fail(f"has {len(value)} statements; KS1 needs {low} to {high}")
        return value

    @field_validator("short")
    @classmethod
    def _short_sums_up_the_text(cls, short: AupShort | None, info: ValidationInfo):
        """Check a short form belongs to a pupil AUP, is short, and covers every statement."""
        if short is None:
            return None
        audience = info.data.get("audience")
        if audience is not None and audience not in PUPIL_AUDIENCES:
            raise _fail("only pupil AUPs have a short form; adults always read the full text")
        full = info.data.get("statements")
        if full is None:
            return short  # the statements' own problem is reported already
        for problem in _short_problems(short, full, audience):
            raise _fail(problem)
        return short

    def model_post_init(self, context: Any, /) -> None:
        """Compute the text hash (and the short form's hash) once, when the object is built."""
        self._text_hash = _hash_text(self)
        self._short_hash = _hash_short(self) if self.short else None

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Aup:
        """Copy, recomputing the hash so an updated copy never carries a stale one."""
        copy = super().model_copy(update=update, deep=deep)
        copy.model_post_init(None)
        return copy

    @property
    def text_hash(self) -> str:
        """Hex SHA-256 of the text a user is shown, recorded with each acceptance."""
        return self._text_hash

    @property
    def short_hash(self) -> str | None:
        """Hex SHA-256 of the short form as shown (None when this AUP has none)."""
        return self._short_hash


def _short_problems(short: AupShort, full: tuple[AupStatement, ...], audience: str | None):
    """Why a short form does not fit its full text: the first problem found, if any."""
    count, shown = len(short.statements), len(full)
    if count > SHORT_MAX_STATEMENTS or count >= shown:
        yield (
            f"has {count} statements; a short form has at most {SHORT_MAX_STATEMENTS}, "
            f"and fewer than the full text's {shown}"
        )
    if len(short.intro.split()) > SHORT_MAX_WORDS:
        yield f"intro has more than {SHORT_MAX_WORDS} words"
    covered: set[int] = set()
    for n, statement in enumerate(short.statements):
        where = f"statements.{n}"
        if len(statement.text.split()) > SHORT_MAX_WORDS:
            yield f"{where}.text has more than {SHORT_MAX_WORDS} words"
        beyond = sorted(c for c in statement.covers if c > shown)
        if beyond:
            yield f"{where}.covers names statement {beyond[0]}, but the full text has {shown}"
        covered |= set(statement.covers)
        pictures = {full[c - 1].icon for c in statement.covers if c <= shown} - {None}
        if audience in PICTURED_AUDIENCES and statement.icon is None:
            yield f"{where}.icon is required: every KS1 and KS2 short statement has a picture"
        if statement.icon is not None and statement.icon not in pictures:
            yield f"{where}.icon must be the picture of a statement it covers"
    missing = sorted(set(range(1, shown + 1)) - covered)
    if missing:
        yield f"does not cover statement {', '.join(map(str, missing))} of the full text"


def _hash_short(aup: Aup) -> str:
    """Hash the canonical JSON of the short form exactly as shown (title, short text, closing)."""
    assert aup.short is not None
    return canonical_hash(
        {
            "form": "short",
            "id": aup.id,
            "version": aup.version,
            "locale": aup.locale,
            "title": aup.title,
            "intro": aup.short.intro,
            "statements": [{"text": s.text} for s in aup.short.statements],
            "closing": aup.closing,
        }
    )


def _hash_text(aup: Aup) -> str:
    """Hash the canonical JSON of the shown text, so acceptances prove what was accepted."""
    return canonical_hash(
        {
            "id": aup.id,
            "version": aup.version,
            "locale": aup.locale,
            "title": aup.title,
            "intro": aup.intro,
            "statements": [{"text": s.text} for s in aup.statements],
            "closing": aup.closing,
        }
    )


class AupLibrary:
    """Every loaded AUP, looked up by audience and locale, falling back to English."""

    __slots__ = ("_by_key",)

    def __init__(self, aups: Iterable[Aup]):
        self._by_key = MappingProxyType({(a.audience, a.locale): a for a in aups})

    def get(self, audience: str, locale: str = DEFAULT_LOCALE) -> Aup:
        """Return an audience's AUP in a locale ('cy_GB', then 'cy'), else in English."""
        if (audience, DEFAULT_LOCALE) not in self._by_key:
            raise KeyError(audience)
        for candidate in (locale.replace("_", "-"), re.split(r"[-_]", locale)[0]):
            if (audience, candidate) in self._by_key:
                return self._by_key[(audience, candidate)]
        return self._by_key[(audience, DEFAULT_LOCALE)]

    def all(self) -> list[Aup]:
        """Return every loaded AUP in every locale, in audience order, English first."""
        return sorted(self._by_key.values(), key=_sort_key)

    def audiences(self) -> tuple[str, ...]:
        """Return the audiences that have an AUP, in the order of AUDIENCES."""
        return tuple(a for a in AUDIENCES if (a, DEFAULT_LOCALE) in self._by_key)


def _sort_key(aup: Aup) -> tuple[int, bool, str]:
    """Order AUPs by audience, then English before translations, then locale."""
    return (AUDIENCES.index(aup.audience), aup.locale != DEFAULT_LOCALE, aup.locale)


def _name_parts(path: pathlib.Path) -> tuple[str, str]:
    """Split 'ks1.cy.yaml' into ('ks1', 'cy'); an English file has no locale part."""
    audience, _, locale = path.name.removesuffix(".yaml").partition(".")
    return audience, locale or DEFAULT_LOCALE


def _load_file(path: pathlib.Path, rel: str, icons: dict) -> tuple[Aup | None, list]:
    """Read, parse and validate one AUP file, returning (Aup or None, its problems)."""
    problems: list[ContentProblem] = []
    data = read_yaml(path, rel, problems)
    if data is None:
        return None, problems
    audience, locale = _name_parts(path)
    try:
        context = {"audience": audience, "locale": locale, **icons}
        return Aup.model_validate(data, context=context), []
    except ValidationError as error:
        return None, schema_problems(rel, error)


def _duplicate_ids(loaded: dict[str, Aup]) -> list[ContentProblem]:
    """Report any id used by two files in the same locale, naming the first file."""
    problems, first = [], {}
    for rel, aup in loaded.items():
        key = (aup.id, aup.locale)
        if key in first:
            reason = f"'{aup.id}' is already used by {first[key]}"
            problems.append(ContentProblem(rel, "id", reason))
        first.setdefault(key, rel)
    return problems


def _translation_mismatches(loaded: dict[str, Aup]) -> list[ContentProblem]:
    """Report translations whose id or version differ from their English file."""
    english = {a.audience: a for a in loaded.values() if a.locale == DEFAULT_LOCALE}
    problems = []
    for rel, aup in loaded.items():
        base = english.get(aup.audience)
        if aup.locale == DEFAULT_LOCALE or base is None:
            continue
        for field in ("id", "version"):
            if getattr(aup, field) != getattr(base, field):
                reason = f"must be '{getattr(base, field)}', the same as the English file"
                problems.append(ContentProblem(rel, field, reason))
    return problems


def _missing_audiences(directory: pathlib.Path) -> list[ContentProblem]:
    """Report every audience with no English file at all (a broken file still counts)."""
    present = {path.name for path in directory.glob("*.yaml")}
    return [
        ContentProblem(f"{directory.name}/{a}.yaml", WHOLE_FILE, "is missing; " + _NEEDS_FILE)
        for a in AUDIENCES
        if f"{a}.yaml" not in present
    ]


def _stray_files(directory: pathlib.Path) -> list[ContentProblem]:
    """Report '.yml' files, which would otherwise be silently ignored."""
    return [
        ContentProblem(_relative(p, directory), WHOLE_FILE, "must end in '.yaml', not '.yml'")
        for p in sorted(directory.glob("*.yml"))
    ]


def _relative(path: pathlib.Path, directory: pathlib.Path) -> str:
    """Name a path relative to the content folder's parent, e.g. 'aup/ks2.yaml', if it can."""
    try:
        return path.relative_to(directory.parent).as_posix()
    except ValueError:
        return path.as_posix()


def _icon_context(directory: pathlib.Path, icon_dir: pathlib.Path | None) -> dict[str, Any]:
    """Return what the icon check needs: the icon folder and how to name it in a reason."""
    if icon_dir is None:
        return {}
    icon_dir = pathlib.Path(icon_dir)
    return {"icon_dir": icon_dir, "icon_label": f"{_relative(icon_dir, directory)}/"}


def _load_files(directory: pathlib.Path, icons: dict) -> tuple[dict[str, Aup], list]:
    """Load each YAML file once, returning the valid AUPs by file name and every problem."""
    loaded, problems = {}, []
    for path in sorted(directory.glob("*.yaml")):
        rel = _relative(path, directory)
        aup, found = _load_file(path, rel, icons)
        problems += found
        if aup is not None:
            loaded[rel] = aup
    return loaded, problems


def load_aups(directory: pathlib.Path, icon_dir: pathlib.Path | None = None) -> AupLibrary:
    """Load every AUP in a folder, raising ContentError listing every problem in any file."""
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise ContentError([ContentProblem(directory.name, WHOLE_FILE, "folder not found")])
    loaded, problems = _load_files(directory, _icon_context(directory, icon_dir))
    problems += _duplicate_ids(loaded) + _translation_mismatches(loaded)
    problems += _missing_audiences(directory) + _stray_files(directory)
    if problems:
        raise ContentError(problems)
    return AupLibrary(loaded.values())
