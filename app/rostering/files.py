"""Opening an export (a folder, a zip or one CSV file) and reading its CSV files row by row.

Rows are streamed, never loaded whole, so a trust's export is read with flat memory. A
spreadsheet's byte-order mark is skipped; text that is not UTF-8 is a problem naming its row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from flask_babel import lazy_gettext as _l

from app.rostering.records import Roster

csv.field_size_limit(1024 * 1024)

Keep = Callable[[list[str]], Callable[[list[str]], bool]]
"""Given a file's header, a test of each row's raw values: rows failing it are skipped unread."""


class UnreadableUpload(Exception):
    """An upload that looks like a zip but cannot be opened."""


class RosterFiles:
    """The CSV files of one export, by their lower-case base name ("users.csv")."""

    def __init__(self, opener: dict[str, object], kind: str) -> None:
        self._opener = opener
        self.kind = kind  # "folder", "zip" or "file"

    @classmethod
    def from_path(cls, path: Path) -> RosterFiles:
        """A folder of CSV files, a zip of them, or one CSV file."""
        if path.is_dir():
            files = {p.name.lower(): p for p in path.iterdir() if p.suffix.lower() == ".csv"}
            return cls(files, "folder")
        if zipfile.is_zipfile(path):
            return cls.from_zip(zipfile.ZipFile(path))
        return cls({path.name.lower(): path}, "file")

    @classmethod
    def from_bytes(cls, data: bytes, filename: str) -> RosterFiles:
        """An uploaded zip or CSV file."""
        if data[:4] == b"PK\x03\x04":
            try:
                return cls.from_zip(zipfile.ZipFile(io.BytesIO(data)))
            except (zipfile.BadZipFile, OSError) as error:
                raise UnreadableUpload from error
        name = PurePosixPath(filename.replace("\\", "/")).name.lower() or "roster.csv"
        return cls({name: data}, "file")

    @classmethod
    def from_zip(cls, archive: zipfile.ZipFile) -> RosterFiles:
        """The CSV files in a zip, wherever they sit in it (the first of a name wins)."""
        files: dict[str, object] = {}
        for info in archive.infolist():
            name = PurePosixPath(info.filename).name.lower()
            if name.endswith(".csv") and not info.is_dir() and not name.startswith("."):
                files.setdefault(name, (archive, info))
        return cls(files, "zip")

    def names(self) -> set[str]:
        """The base names of the CSV files held."""
        return set(self._opener)

    def only(self) -> str | None:
        """The name of the one CSV file, when there is exactly one."""
        return next(iter(self._opener)) if len(self._opener) == 1 else None

    def open(self, name: str) -> IO[bytes]:
        """One file's bytes."""
        source = self._opener[name]
        if isinstance(source, Path):
            return source.open("rb")
        if isinstance(source, bytes):
            return io.BytesIO(source)
        archive, info = source
        return archive.open(info)

    def rows(
        self, name: str, roster: Roster, keep: Keep | None = None
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """Each data row as (spreadsheet row number, {lower-case header: stripped value}).

        The header is row 1. A file that is not UTF-8 stops at the first bad row, with a problem.
        keep, given, passes over rows its test (made from the header) fails before they are made
        into dicts: a trust's export is mostly other schools' rows.
        """
        with self.open(name) as raw:
            reader = csv.reader(_lines(raw))
            number = 1
            try:
                header = [h.strip().lower() for h in next(reader, [])]
                test = keep(header) if keep is not None else None
                for number, values in enumerate(reader, start=2):
                    if test is not None and not test(values):
                        continue
                    if not any(v.strip() for v in values):
                        continue
                    yield (
                        number,
                        {key: value.strip() for key, value in zip(header, values, strict=False)},
                    )
            except UnicodeDecodeError:
                roster.unreadable = True
                roster.problem(name, number + 1 if number > 1 else 1, "", NOT_UTF8)
            except (csv.Error, zipfile.BadZipFile) as error:
                roster.unreadable = True
                roster.problem(name, number + 1, "", _l("not readable as CSV: %(e)s", e=str(error)))

    def header(self, name: str) -> list[str]:
        """A file's column names, lower case (empty if unreadable)."""
        with self.open(name) as raw:
            try:
                line = raw.readline(64 * 1024).decode("utf-8-sig")
            except UnicodeDecodeError:
                return []
        return [h.strip().lower() for h in next(csv.reader([line]), [])]


def column(
    header: list[str], name: str, test: Callable[[str], bool]
) -> Callable[[list[str]], bool]:
    """A row test on one column's value (every row passes if the file lacks the column)."""
    if name not in header:
        return lambda _values: True
    index = header.index(name)
    return lambda values: test(values[index].strip() if index < len(values) else "")


def _lines(raw: IO[bytes]) -> Iterator[str]:
    """The text lines of a file, decoded one by one so a bad byte is found on its own row."""
    first = True
    for line in raw:
        if first:
            line, first = line.removeprefix(b"\xef\xbb\xbf"), False
        yield line.decode("utf-8")


NOT_UTF8 = _l(
    'the file is not UTF-8 text: save it from the spreadsheet as "CSV UTF-8 (comma delimited)"'
)
