"""Reading content files: YAML that refuses a repeated field, and the canonical content hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from app.content.errors import WHOLE_FILE, ContentProblem


class _UniqueKeys:
    """Loader mix-in that refuses a field written twice, which YAML would silently drop."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, failing at the line of the first repeated key."""
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if not isinstance(key, Hashable):
                continue
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is written twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class PureLoader(_UniqueKeys, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, refusing repeated fields; its errors are shown."""


if getattr(yaml, "__with_libyaml__", False):

    class FastLoader(_UniqueKeys, yaml.CSafeLoader):
        """The same safe loader with libyaml's C parser, many times faster on the same files."""

else:  # pragma: no cover - PyYAML was built without libyaml
    FastLoader = PureLoader  # type: ignore[misc]


def parse_yaml(text: str, loader: type = FastLoader) -> Any:
    """Parse one YAML document with a safe, unique-key loader."""
    parser = loader(text)
    try:
        return parser.get_single_data()
    finally:
        parser.dispose()


def read_yaml(path: Path, shown: str, problems: list[ContentProblem]) -> dict[str, Any] | None:
    """Parse one content file into its fields; record a problem and return None if it cannot."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(ContentProblem(shown, WHOLE_FILE, "is not saved as UTF-8 text"))
        return None
    try:
        raw = parse_yaml(text)
    except yaml.YAMLError:
        try:  # the pure loader reads the same data; its error messages are the ones to show
            raw = parse_yaml(text, PureLoader)
        except yaml.YAMLError as error:
            problems.append(ContentProblem(shown, *_yaml_problem(error)))
            return None
    if raw is None:
        problems.append(ContentProblem(shown, WHOLE_FILE, "is empty"))
        return None
    if not isinstance(raw, dict):
        problems.append(ContentProblem(shown, WHOLE_FILE, "must be a set of fields (name: value)"))
        return None
    return raw


def _yaml_problem(error: yaml.YAMLError) -> tuple[str, str]:
    """Return the line and a plain reason for a YAML syntax error."""
    mark = getattr(error, "problem_mark", None)
    field = f"line {mark.line + 1}" if mark is not None else WHOLE_FILE
    problem = getattr(error, "problem", None) or getattr(error, "context", None) or str(error)
    reason = f"is not valid YAML: {problem}"
    if not isinstance(error, yaml.constructor.ConstructorError):
        reason += "; check the indentation here, and quote text that contains ': '"
    return field, reason


def canonical_hash(data: Any) -> str:
    """Hex SHA-256 of data as canonical JSON: sorted keys, no spaces, UTF-8 text unescaped."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
