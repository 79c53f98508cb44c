"""A roster with any bad row changes nothing, and every problem is named: file, row, column."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import User
from tests.roster_files import FIXTURES, OAK, copy, edit


def run(runner, path):
    """flask roster import for Oak Primary."""
    return runner.invoke(args=["roster", "import", "--school", OAK, str(path)])


def user_count() -> int:
    """Everyone in the database."""
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def _row(rows, key, value):
    """The row whose column key holds value."""
    return next(row for row in rows if row[key] == value)


@pytest.mark.parametrize("version", ["oneroster-1.1", "oneroster-1.2"])
def test_every_bad_row_of_a_oneroster_export_is_named_and_nothing_changes(
    runner, schools, tmp_path, version
):
    export = copy(tmp_path, version)

    def users(rows):
        """Unknown year, blank names, a duplicate id, a parent of a pupil not in the export."""
        _row(rows, "sourcedId", "stu-ben")["grades"] = "14"
        efe = _row(rows, "sourcedId", "stu-efe")
        efe.update(givenName="", preferredGivenName="") if "preferredGivenName" in efe else (
            efe.update(givenName="")
        )
        _row(rows, "sourcedId", "par-karen")["agentSourcedIds"] = "stu-amy,stu-gone"
        return [*rows, dict(_row(rows, "sourcedId", "stu-dev"))]

    def enrollments(rows):
        """Amy placed in a class of Elm Academy."""
        extra = dict(rows[0], sourcedId="enr-99", classSourcedId="cls-7e", userSourcedId="stu-amy")
        return [*rows, extra]

    edit(export / "users.csv", users)
    edit(export / "enrollments.csv", enrollments)
    if version == "oneroster-1.2":
        edit(export / "roles.csv", lambda rows: [*rows, dict(rows[3], sourcedId="role-dup")])
    result = run(runner, export)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "enrollments.csv row 15 column classSourcedId: "
        "the class belongs to another school in the export",
        "users.csv row 3 column grades: unknown year group '14': use 01 to 13, or R or 00 "
        "for Reception",
        "users.csv row 6 column givenName: this must not be blank",
        "users.csv row 10 column agentSourcedIds: the parent is linked to a pupil who is not in "
        "the export (stu-gone)",
        "users.csv row 15 column sourcedId: stu-dev appears more than once",
        "5 problems: nothing was imported.",
    ]
    assert user_count() == 0


def test_a_file_that_is_not_utf8_is_named_with_its_row(runner, schools, tmp_path):
    export = copy(tmp_path, "oneroster-1.1")
    path = export / "users.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines[4] = lines[4].replace(b"Dev", "Dév".encode("cp1252"))
    path.write_bytes(b"\r\n".join(lines))
    result = run(runner, export)
    assert result.exit_code == 1
    assert "users.csv row 5: the file is not UTF-8 text" in result.output
    assert user_count() == 0


def test_a_spreadsheets_byte_order_mark_is_not_a_problem(runner, schools, tmp_path):
    path = copy(tmp_path, "lantern-roster.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8" writes one
    assert run(runner, path).exit_code == 0


def test_every_bad_row_of_lanterns_csv_is_named_and_nothing_changes(runner, schools, tmp_path):
    path = copy(tmp_path, "lantern-roster.csv")
    assert run(runner, FIXTURES / "oneroster-1.1").exit_code == 0
    before = user_count()

    def bad(rows):
        """One of each mistake an office manager might make."""
        _row(rows, "id", "A123456789001")["year"] = "Year 14"
        _row(rows, "id", "A123456789002")["first_name"] = ""
        _row(rows, "id", "A123456789003")["classes"] = "5A;6C"
        _row(rows, "id", "C1001")["children"] = "A123456789999"
        _row(rows, "id", "PPA")["username"] = "Priya Patel!"
        rows.append(dict(_row(rows, "id", "JHU")))
        rows.append(dict(_row(rows, "id", "JHU"), type="teacher", id="XYZ"))
        rows.append(dict(_row(rows, "id", "4B"), year=""))

    edit(path, bad)
    result = run(runner, path)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "lantern-roster.csv row 6 column year: unknown year group 'Year 14': use 01 to 13, or "
        "R or 00 for Reception",
        "lantern-roster.csv row 7 column first_name: this must not be blank",
        "lantern-roster.csv row 8 column classes: no class has the id 6C",
        "lantern-roster.csv row 11 column username: a username is 2 to 40 lower-case letters, "
        "digits or dots, starting with a letter",
        "lantern-roster.csv row 14 column children: the parent is linked to a pupil who is not "
        "in the export (A123456789999)",
        "lantern-roster.csv row 16 column id: JHU appears more than once",
        "lantern-roster.csv row 17 column type: unknown type 'teacher': use class, pupil, staff "
        "or parent",
        "lantern-roster.csv row 18 column year: this must not be blank",
        "8 problems: nothing was imported.",
    ]
    assert user_count() == before


def test_a_missing_column_or_file_is_named(runner, schools, tmp_path):
    path = copy(tmp_path, "lantern-roster.csv")
    text = path.read_text(encoding="utf-8-sig").replace(",children,", ",kids,", 1)
    path.write_text(text, encoding="utf-8")
    result = run(runner, path)
    assert "lantern-roster.csv row 1 column children: the column is missing" in result.output
    export = copy(tmp_path, "oneroster-1.2")
    (export / "roles.csv").unlink()
    result = run(runner, export)
    assert result.exit_code == 1
    assert "roles.csv: the file is missing from the export" in result.output


def test_a_delta_export_or_a_school_not_in_it_is_refused(runner, schools, tmp_path):
    export = copy(tmp_path, "oneroster-1.1")
    edit(export / "orgs.csv", lambda rows: [r for r in rows if r["identifier"] != OAK])
    result = run(runner, export)
    assert "orgs.csv column identifier: no school in the export has the identifier 123456" in (
        result.output
    )
    export = copy(tmp_path, "oneroster-1.2")
    edit(
        export / "manifest.csv",
        lambda rows: _row(rows, "propertyName", "file.users").update(value="delta"),
    )
    result = run(runner, export)
    assert result.exit_code == 1
    assert "users is a delta: Lantern reads bulk exports only" in result.output


def test_something_that_is_no_roster_is_named(runner, schools, tmp_path):
    path = tmp_path / "pupils.csv"
    path.write_text("name,class\nAmy,4B\n", encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 1
    assert "not a roster Lantern knows" in result.output
