"""Which format an export is in, and reading it whole into a checked Roster."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from app.rostering import oneroster, simple
from app.rostering.files import RosterFiles
from app.rostering.records import Roster

Progress = Callable[[str], None]


def read_roster(files: RosterFiles, urn: str | None, progress: Progress | None = None) -> Roster:
    """Read and check an export for the school with this URN; problems are in roster.problems."""
    progress = progress or (lambda _step: None)
    names = files.names()
    if names & oneroster.FILES:
        return oneroster.read(files, urn or "", progress)
    only = files.only()
    if only is not None and "type" in files.header(only):
        return simple.read(files, only, progress)
    roster = Roster(format="unknown")
    roster.problem(
        ", ".join(sorted(names)) or "-",
        None,
        "",
        _l(
            "not a roster Lantern knows: send a OneRoster CSV export (a zip or folder with "
            "manifest.csv and users.csv) or Lantern's CSV template (one file with a type column)"
        ),
    )
    return roster
