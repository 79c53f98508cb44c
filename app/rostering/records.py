"""What an import reads: people, classes and the problems found, independent of the format."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.models import Role


@dataclass(frozen=True)
class Problem:
    """One reason the import cannot go ahead, with where it is (row 1 is the header row)."""

    file: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        """The problem as one line: file, row, column, reason."""
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f" column {self.column}"
        return f"{where}: {self.reason}"


@dataclass
class Person:
    """One person as the roster has them."""

    roster_id: str
    role: Role
    given: str
    family: str
    year: int | None = None
    classes: set[str] = field(default_factory=set)
    children: set[str] = field(default_factory=set)
    username: str | None = None  # wished for (Lantern's CSV): used only for a new person

    @property
    def display_name(self) -> str:
        """The name Lantern shows: given name and family name."""
        return f"{self.given} {self.family}".strip()[:120]


@dataclass
class RosterClass:
    """One class as the roster has it."""

    roster_id: str
    name: str
    year: int | None


@dataclass
class Roster:
    """Everything one import read for one school, and every problem found while reading."""

    format: str
    people: dict[str, Person] = field(default_factory=dict)
    classes: dict[str, RosterClass] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)  # ids of rows with a problem (no echoes)
    unreadable: bool = False  # a file could not be read to its end: nothing after it is read

    def problem(self, file: str, row: int | None, column: str, reason) -> None:
        """Note a problem (reason may be a lazy translatable string)."""
        self.problems.append(Problem(file, row, column, str(reason)))


FORMAT_NAMES = {
    "oneroster-1.1": _l("OneRoster 1.1 CSV"),
    "oneroster-1.2": _l("OneRoster 1.2 CSV"),
    "lantern-csv": _l("Lantern's CSV template"),
}
