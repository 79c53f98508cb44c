"""Roster import from the command line: OneRoster 1.1 and 1.2 exports and Lantern's CSV."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import LoginSession, Role, SchoolClass, User
from app.rostering.checks import year_group
from tests.roster_files import ELM, FORMATS, OAK, copy, edit


def run(runner, path, *extra, urn=OAK):
    """flask roster import for a school; returns the CLI result."""
    return runner.invoke(args=["roster", "import", "--school", urn, *extra, str(path)])


def people(school) -> dict[str, User]:
    """The school's people by display name (fresh from the database)."""
    db.session.expire_all()
    rows = db.session.scalars(sa.select(User).where(User.school_id == school.id))
    return {user.display_name: user for user in rows}


def class_named(school, name: str) -> SchoolClass:
    """One of the school's classes by name."""
    return db.session.scalar(
        sa.select(SchoolClass).where(SchoolClass.school_id == school.id, SchoolClass.name == name)
    )


def names(rows) -> list[str]:
    """People's display names (or classes' names), sorted."""
    return sorted(getattr(row, "display_name", None) or row.name for row in rows)


@pytest.mark.parametrize("fixture", FORMATS)
def test_a_first_import_brings_in_pupils_staff_parents_and_classes(
    runner, schools, fixture, tmp_path
):
    oak, elm = schools
    result = run(runner, copy(tmp_path, fixture))
    assert result.exit_code == 0, result.output
    assert "added:     10 (pupils: 5, staff: 3, parents: 2)" in result.output
    assert "classes:   4 added" in result.output
    found = people(oak)
    assert sorted(found) == [
        "Amy Jones", "Ben Carter", "Chloe Carter", "Dev Shah", "Efe Okoro", "Jo Carter",
        "John Hughes", "Karen Jones", "Priya Patel", "Sue Evans",
    ]  # fmt: skip
    # Amelia goes by Amy in the MIS (preferredGivenName); no proctor, no one from Elm Academy
    assert people(elm) == {}
    assert found["Dev Shah"].year == 0 and found["Efe Okoro"].year == 5
    assert found["Sue Evans"].role is Role.TEACHER  # an administrator is never made admin
    assert {found[n].role for n in ("Jo Carter", "Karen Jones")} == {Role.PARENT}
    assert names(found["Jo Carter"].children) == ["Ben Carter", "Chloe Carter"]
    assert names(found["Karen Jones"].children) == ["Amy Jones"]
    computing = class_named(oak, "Computing 4/5")
    assert names(computing.pupils) == ["Amy Jones", "Chloe Carter"]
    assert names(found["Amy Jones"].classes) == ["4B", "Computing 4/5"]
    assert names(c for c in found["Priya Patel"].taught_classes) == ["4B", "Computing 4/5"]
    assert class_named(oak, "4B").year == 4
    for user in found.values():
        assert user.password_hash is None and user.must_change_password and user.active
    assert found["Amy Jones"].username == "amyj"
    assert found["Priya Patel"].username == "ppatel"


def test_year_groups_are_read_as_the_national_curriculum_numbers_them():
    assert [year_group(v) for v in ("R", "00", "01", "4", "13", "Year 6", "Y7")] == [
        0, 0, 1, 4, 13, 6, 7
    ]  # fmt: skip
    assert [year_group(v) for v in ("14", "KG", "PK", "", "Year 0.5")] == [None] * 5


def test_a_dry_run_shows_what_would_change_and_changes_nothing(runner, schools, tmp_path):
    oak, _elm = schools
    result = run(runner, copy(tmp_path, "oneroster-1.2"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+ Amy Jones (pupil)" in result.output
    assert "Dry run: nothing was changed." in result.output
    assert people(oak) == {}


def test_an_unknown_school_is_refused(runner, schools, tmp_path):
    result = run(runner, copy(tmp_path, "oneroster-1.1"), urn="100000")
    assert result.exit_code == 1
    assert "No school has the URN '100000'" in result.output


def test_the_school_is_found_by_its_urn_in_a_trust_export(runner, schools, tmp_path):
    _oak, elm = schools
    result = run(runner, copy(tmp_path, "oneroster-1.1"), urn=ELM)
    assert result.exit_code == 0, result.output
    assert sorted(people(elm)) == ["Ed Teach", "Zara Ahmed"]
    assert names(class_named(elm, "7E").pupils) == ["Zara Ahmed"]


def test_a_zip_export_is_read_like_a_folder(runner, schools, tmp_path):
    import shutil

    oak, _elm = schools
    folder = copy(tmp_path, "oneroster-1.2")
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", folder)
    assert run(runner, archive).exit_code == 0
    assert len(people(oak)) == 10


# --- sync -------------------------------------------------------------------------------


def _simple(tmp_path, change):
    """A copy of Lantern's CSV fixture with rows changed."""
    path = copy(tmp_path, "lantern-roster.csv")
    edit(path, change)
    return path


def _by_id(rows, person_id):
    """The row with this id."""
    return next(row for row in rows if row["id"] == person_id)


def test_a_new_import_updates_people_in_place_and_marks_leavers(runner, schools, tmp_path):
    oak, _elm = schools
    assert run(runner, copy(tmp_path, "lantern-roster.csv")).exit_code == 0
    before = people(oak)
    dev_id, ben = before["Dev Shah"].id, before["Ben Carter"]
    ben_id, ben_username = ben.id, ben.username
    db.session.add(LoginSession(user_id=dev_id, token_hash="x" * 64))
    db.session.commit()

    def changes(rows):
        """Ben is now Benjamin and in 5A; Efe moves up to Year 6; Dev has left."""
        _by_id(rows, "A123456789002").update(first_name="Benjamin", classes="5A")
        _by_id(rows, "A123456789005")["year"] = "6"
        _by_id(rows, "C1002")["children"] = "A123456789002"
        return [row for row in rows if row["id"] != "A123456789004"]

    result = run(runner, _simple(tmp_path, changes))
    assert result.exit_code == 0, result.output
    assert "updated:   3 (of whom 0 returning)" in result.output  # Ben, Efe, Jo
    assert "left:      1" in result.output
    after = people(oak)
    benjamin = after["Benjamin Carter"]
    assert (benjamin.id, benjamin.username) == (ben_id, ben_username)  # same person, same login
    assert names(benjamin.classes) == ["5A"]
    assert names(class_named(oak, "4B").pupils) == ["Amy Jones"]
    assert after["Efe Okoro"].year == 6
    assert names(after["Jo Carter"].children) == ["Benjamin Carter"]
    dev = after["Dev Shah"]
    assert dev.id == dev_id and not dev.active and dev.left_at is not None
    assert class_named(oak, "RR").pupils == []  # out of the class list, record kept
    assert db.session.get(LoginSession, 1).ended_at is not None  # signed out


def test_a_pupil_who_comes_back_is_the_same_account_with_their_history(runner, schools, tmp_path):
    oak, _elm = schools
    full = copy(tmp_path, "lantern-roster.csv")
    assert run(runner, full).exit_code == 0
    dev = people(oak)["Dev Shah"]
    dev_id, username = dev.id, dev.username
    without = _simple(tmp_path / "x", lambda rows: [r for r in rows if r["id"] != "A123456789004"])
    assert run(runner, without).exit_code == 0
    assert not people(oak)["Dev Shah"].active
    result = run(runner, full)
    assert result.exit_code == 0 and "(of whom 1 returning)" in result.output
    dev = people(oak)["Dev Shah"]
    assert (dev.id, dev.username, dev.active, dev.left_at) == (dev_id, username, True, None)
    assert names(dev.classes) == ["RR"]


def test_an_unchanged_import_changes_nothing(runner, schools, tmp_path):
    export = copy(tmp_path, "oneroster-1.1")
    assert run(runner, export).exit_code == 0
    result = run(runner, export)
    assert "unchanged: 10" in result.output and "updated:   0" in result.output


def test_usernames_are_unique_and_never_someone_elses(runner, schools, tmp_path):
    oak, _elm = schools

    def twins(rows):
        """Two more Amy J.s, one with a username wished for that is already taken."""
        extra = dict(_by_id(rows, "A123456789001"), id="A123456789010", last_name="James")
        wished = dict(extra, id="A123456789011", last_name="Jenkins", username="amyj")
        return [*rows, extra, wished]

    assert run(runner, _simple(tmp_path, twins)).exit_code == 0
    usernames = sorted(u.username for u in people(oak).values() if u.display_name.startswith("Amy"))
    assert usernames == ["amyj", "amyj2", "amyj3"]


def test_a_role_given_by_hand_is_kept_and_a_hand_made_class_is_adopted(runner, schools, tmp_path):
    oak, _elm = schools
    db.session.add(SchoolClass(school_id=oak.id, name="4B", year=4))
    db.session.commit()
    hand_made = class_named(oak, "4B").id
    export = copy(tmp_path, "oneroster-1.1")
    assert run(runner, export).exit_code == 0
    assert class_named(oak, "4B").id == hand_made
    assert class_named(oak, "4B").roster_id == "cls-4b"
    sue = people(oak)["Sue Evans"]
    sue.role = Role.ADMIN
    db.session.commit()
    assert run(runner, export).exit_code == 0
    assert people(oak)["Sue Evans"].role is Role.ADMIN


def test_a_class_missing_from_a_new_import_is_ended_and_its_name_freed(runner, schools, tmp_path):
    oak, _elm = schools
    export = copy(tmp_path, "oneroster-1.1")
    assert run(runner, export).exit_code == 0
    old = class_named(oak, "4B")
    old_id = old.id

    def new_year(rows):
        """Next year's 4B is a new class in the MIS, with a new id."""
        for row in rows:
            row["classSourcedId"] = row["classSourcedId"].replace("cls-4b", "cls-4b-2027")

    edit(export / "enrollments.csv", new_year)
    edit(
        export / "classes.csv",
        new_year_classes := lambda rows: [  # noqa: F841
            dict(r, sourcedId="cls-4b-2027") if r["sourcedId"] == "cls-4b" else r for r in rows
        ],
    )
    result = run(runner, export)
    assert result.exit_code == 0, result.output
    assert "1 added, 0 updated, 1 ended" in result.output
    ended = db.session.get(SchoolClass, old_id)
    assert ended.ended_at is not None and ended.name == f"4B #{old_id}"
    assert names(ended.pupils) == ["Amy Jones", "Ben Carter"]  # last year's list kept
    assert class_named(oak, "4B").roster_id == "cls-4b-2027"


def test_an_import_never_touches_another_schools_people(runner, schools, tmp_path):
    oak, elm = schools
    assert run(runner, copy(tmp_path, "oneroster-1.1"), urn=ELM).exit_code == 0
    assert run(runner, copy(tmp_path, "lantern-roster.csv")).exit_code == 0
    assert all(user.active for user in people(elm).values())
    assert len(people(elm)) == 2


def test_a_leaver_drops_out_of_compliance_figures(runner, schools, tmp_path):
    from app.services import compliance

    oak, _elm = schools
    assert run(runner, copy(tmp_path, "lantern-roster.csv")).exit_code == 0
    before = _pupils_counted(compliance, oak)
    path = _simple(tmp_path / "y", lambda rows: [r for r in rows if r["id"] != "A123456789004"])
    assert run(runner, path).exit_code == 0
    assert _pupils_counted(compliance, oak) == before - 1


def _pupils_counted(compliance, school) -> int:
    """How many pupils the school's AUP compliance figures count."""
    from datetime import date

    db.session.expire_all()
    report = compliance.report(school, date(2026, 10, 1))
    return sum(len(report.audiences[a].standings) for a in compliance.PUPIL_AUDIENCES)


def test_a_pupil_added_to_a_roster_class_by_hand_stays_in_it(runner, schools, tmp_path):
    oak, _elm = schools
    export = copy(tmp_path, "oneroster-1.2")
    assert run(runner, export).exit_code == 0
    newcomer = User(school_id=oak.id, role=Role.PUPIL, username="newkid", display_name="New Kid",
                    year=4)  # fmt: skip
    four_b = class_named(oak, "4B")
    four_b.pupils.append(newcomer)
    db.session.commit()
    assert run(runner, export).exit_code == 0
    assert "New Kid" in names(class_named(oak, "4B").pupils)
    assert people(oak)["New Kid"].active


@pytest.mark.parametrize("version", ["oneroster-1.1", "oneroster-1.2"])
def test_a_user_to_be_deleted_or_disabled_in_the_export_has_left(
    runner, schools, tmp_path, version
):
    oak, _elm = schools
    export = copy(tmp_path, version)
    assert run(runner, export).exit_code == 0

    def gone(rows):
        """Dev is marked for deletion; Efe's account is disabled in the MIS."""
        next(r for r in rows if r["sourcedId"] == "stu-dev")["status"] = "tobedeleted"
        next(r for r in rows if r["sourcedId"] == "stu-efe")["enabledUser"] = "false"

    edit(export / "users.csv", gone)
    result = run(runner, export)
    assert result.exit_code == 0, result.output
    assert "left:      2" in result.output
    found = people(oak)
    assert not found["Dev Shah"].active and not found["Efe Okoro"].active
    assert names(class_named(oak, "5A").pupils) == ["Chloe Carter"]
