"""Roster exports for tests: the fixtures in tests/fixtures/roster, copied so a test can edit them.

All three describe the same school (Oak Primary, URN 123456) in a trust with Elm Academy
(654321): five pupils (one in Reception, two in two classes), two teachers (one teaching two
classes), an administrator, two parents (one of two children), a proctor Lantern does not import.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "roster"
OAK, ELM = "123456", "654321"
FORMATS = ("oneroster-1.1", "oneroster-1.2", "lantern-roster.csv")


def copy(tmp_path: Path, name: str) -> Path:
    """A copy of one fixture (folder or file) to edit."""
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    source = FIXTURES / name
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy(source, target)
    return target


def edit(path: Path, change: Callable[[list[dict[str, str]]], list[dict[str, str]] | None]):
    """Rewrite a CSV file through change(rows), which edits the rows or returns new ones."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    rows = change(rows) or rows
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def users_file(export: Path) -> Path:
    """The file holding people: users.csv of a OneRoster export, or Lantern's CSV itself."""
    return export / "users.csv" if export.is_dir() else export
