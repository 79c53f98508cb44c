"""Coverage by framework statement for one year group: which outcomes it has been taught.

Built on the coverage matrix counted by statement (the same few grouped queries): each statement
of Education for a Connected World with what was set, taught and completed for the year group
this school year, and the lessons written for that year that teach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.content import lessons
from app.content.framework import Statement
from app.content.schema import Lesson
from app.content.strands import STRAND_CODES
from app.models import School
from app.reporting import coverage


@dataclass(frozen=True)
class StatementRow:
    """One framework statement for one year group: its coverage cell and the lessons for it."""

    statement: Statement
    cell: coverage.Cell
    lessons: tuple[Lesson, ...]  # lessons written for this year group that teach the statement
    expected: bool  # the statement is for this year group's age band


@dataclass(frozen=True)
class YearStatements:
    """Every statement's coverage for one year group, grouped by strand in framework order."""

    year: int
    rows: tuple[StatementRow, ...]

    def by_strand(self, expected: bool) -> list[tuple[str, list[StatementRow]]]:
        """The rows for this age band (expected) or the others taught, grouped by strand."""
        groups: dict[str, list[StatementRow]] = {code: [] for code in STRAND_CODES}
        for row in self.rows:
            if row.expected == expected and (expected or row.cell.state not in ("gap", "none")):
                groups[row.statement.strand].append(row)
        return [(code, rows) for code, rows in groups.items() if rows]

    def counts(self) -> dict[str, int]:
        """How many of this age band's statements are in each state, for the summary line."""
        found: dict[str, int] = {}
        for row in self.rows:
            if row.expected:
                found[row.cell.state] = found.get(row.cell.state, 0) + 1
        return found


def for_year(school: School, year: int, today: date) -> YearStatements:
    """Coverage of every framework statement for one year group this school year (5 queries)."""
    found = coverage.matrix([school], coverage.STATEMENT, today)
    library = lessons()
    written = library.for_year(year)
    rows = tuple(
        StatementRow(
            statement,
            found.cell(statement.id, year),
            tuple(lesson for lesson in written if statement.id in lesson.statements),
            year in statement.years,
        )
        for statement in library.statements()
    )
    return YearStatements(year, rows)
