"""Roster import: a school's people and classes from its MIS, as OneRoster CSV or Lantern's CSV.

`read_roster` parses and checks a whole export into a `Roster` without touching the database;
`plan` compares it with the school (added, updated, left); `apply_plan` writes it in bulk.
"""

from app.rostering.apply import Plan, apply_plan, plan
from app.rostering.read import read_roster
from app.rostering.records import Problem, Roster

__all__ = ["Plan", "Problem", "Roster", "apply_plan", "plan", "read_roster"]


def prepare(school_id: int, files, urn: str | None, progress=None) -> tuple[Roster, Plan | None]:
    """Read and check an export, then compare it with the school; a plan only if no problems."""
    roster = read_roster(files, urn, progress)
    if roster.problems:
        roster.problems.sort(key=lambda p: (p.file, p.row or 0, p.column))
        return roster, None
    return roster, plan(school_id, roster)
