"""How a content file's problems are named and worded: the file, the field and a plain reason."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

WHOLE_FILE = "(whole file)"
"""The field named by a problem that concerns the whole file rather than one field in it."""

_REASONS = {
    "missing": "is required",
    "extra_forbidden": "is not a known field (check its spelling in {folder}/README.md)",
    "string_type": "must be text (put it in quotes if YAML reads it as a number, date or yes/no)",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "must be lower-case letters and digits joined by single hyphens",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "too_short": "must have at least {min_length} {items}",
    "too_long": "must have at most {max_length} {items}",
    "tuple_type": "must be a list (each item starting with '- ')",
    "list_type": "must be a list (each item starting with '- ')",
    "model_type": "must be a set of fields (name: value)",
    "model_attributes_type": "must be a set of fields (name: value)",
    "dict_type": "must be a set of fields (name: value)",
    "literal_error": "must be {expected}",
    "union_tag_invalid": "'{tag}' is not a known kind; use one of: {expected_tags}",
    "union_tag_not_found": "is required",
    "date_type": "must be a date written as YYYY-MM-DD",
    "date_parsing": "must be a date written as YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD",
    "date_from_datetime_inexact": "must be a date only, with no time of day",
}
"""Plain reasons for pydantic's error types, shared by every kind of content file."""


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with one content file."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class ContentError(Exception):
    """Raised when one or more content files are invalid; carries every problem found."""

    def __init__(self, problems: list[ContentProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def schema_problems(
    shown: str, error: ValidationError, tags: Collection[str] = ()
) -> list[ContentProblem]:
    """Turn pydantic's errors about one file into problems, leaving union kind tags out."""
    errors = error.errors(include_url=False)
    problems = []
    for item in errors:
        loc = tuple(item["loc"])
        if item["type"] == "too_short" and _has_inner_error(loc, errors):
            continue
        if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "kind")
        reason = error_reason(item, folder=shown.split("/")[0])
        problems.append(ContentProblem(shown, error_field(loc, tags), reason))
    return problems


def error_field(loc: tuple[int | str, ...], tags: Collection[str] = ()) -> str:
    """Return a pydantic error location as a dotted field, leaving out union kind tags."""
    parts = [
        str(part)
        for position, part in enumerate(loc)
        if not (position >= 1 and isinstance(loc[position - 1], int) and part in tags)
    ]
    return ".".join(parts) or WHOLE_FILE


def error_reason(error: dict[str, Any], folder: str = "the content folder") -> str:
    """Return a pydantic error as a plain reason an author can act on; folder holds the file."""
    context = error.get("ctx") or {}
    if error["type"] == "value_error":
        return str(context["error"])
    template = _REASONS.get(error["type"])
    if template is None:
        return error["msg"][:1].lower() + error["msg"][1:]
    count = context.get("min_length", context.get("max_length"))
    return template.format(**context, folder=folder, items="item" if count == 1 else "items")


def _has_inner_error(loc: tuple[int | str, ...], errors: list[Any]) -> bool:
    """Tell whether another error sits inside loc; pydantic then miscounts the list as short."""
    return any(len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in errors)
