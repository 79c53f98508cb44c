"""The words users read: one word for setting work, no internal policy numbers, and nothing in
the repository that points to a file outside it."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ("aup", "lessons", "quizzes", "guides", "workshops")
POLICY_NUMBER = re.compile(r"\bpolic(?:y|ies)\s+\d{3}\b|\(\d{3}(?:,\s*\d{3})*\)", re.IGNORECASE)
SKIPPED_DIRS = {".git", ".venv", "instance", "test-artifacts", "__pycache__", "node_modules"}
TEXT_SUFFIXES = {".py", ".html", ".md", ".yaml", ".yml", ".toml", ".cfg", ".po", ".pot", ".txt"}
TEXT_SUFFIXES |= {".js", ".css", ".json", ".ini", ".svg", ".sh"}
# Built here rather than written out, so this file does not match what it looks for.
OUTSIDE = tuple(f"{name}.md" for name in ("curriculum", "brief", "style")) + (
    "/".join(("..", "shared")),
)


def _messages() -> list[str]:
    """Every translatable string in the app's Python and templates, as `make extract` finds it."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = extract_from_dir(
        str(ROOT / "app"),
        method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.do"}},
        keywords=keywords,
    )
    texts: list[str] = []
    for _file, _line, message, _comments, _context in found:
        texts += [message] if isinstance(message, str) else [m for m in message if m]
    return texts


def _content_files() -> list[Path]:
    """Every content file a user may read: AUPs, lessons, quizzes, guides and workshop packs."""
    return sorted(path for folder in CONTENT for path in (ROOT / folder).rglob("*.yaml"))


def test_screens_say_set_never_assign():
    messages = _messages()
    assert "Set this module" in messages  # the extraction really reads the teacher's pages
    assert [m for m in messages if re.search(r"\bassign", m, re.IGNORECASE)] == []


def test_no_internal_policy_number_reaches_a_screen():
    shown = [m for m in _messages() if POLICY_NUMBER.search(m)]
    shown += [
        str(path.relative_to(ROOT))
        for path in _content_files()
        if POLICY_NUMBER.search(path.read_text(encoding="utf-8"))
    ]
    assert shown == []


def test_the_policy_number_check_finds_one():
    assert POLICY_NUMBER.search("as the rules say (policies 003 and 004)")
    assert POLICY_NUMBER.search("in the two parts (000)")
    assert not POLICY_NUMBER.search("Childline on 0800 1111, or text 85258")


def _repository_files() -> list[Path]:
    """The repository's own text files (not the virtualenv, the database or test output)."""
    return sorted(
        path
        for path in ROOT.rglob("*")
        if path.is_file()
        and not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
        and (path.suffix in TEXT_SUFFIXES or path.name == "Makefile")
    )


def test_nothing_points_outside_the_repository():
    citing = [
        str(path.relative_to(ROOT))
        for path in _repository_files()
        if any(needle in path.read_text(encoding="utf-8").lower() for needle in OUTSIDE)
    ]
    assert citing == []
    assert (ROOT / "docs" / "sources.md").is_file()  # where the facts now come from
