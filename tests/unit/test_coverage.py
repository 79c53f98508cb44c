"""Coverage against a hand-computed school, and sanity at trust scale (2,128 pupils)."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import School
from app.models.years import YEARS
from app.reporting import coverage, coverage_detail, statements
from app.services import school_calendar
from tests.conftest import make_config
from tests.trust_data import generate_trust, small_school


def test_cells_match_the_hand_computed_school(app):
    today = school_calendar.today()
    small = small_school(today)
    found = coverage.matrix([small.school], "strand", today)
    c = found.cell
    # Year 4 has 5 pupils: a1, a2 finished the privacy lesson (PS, OREP, OREL) set to 4A,
    # a2 also digital footprint (adds SII); the bullying lesson (OBUL, OREL) was taught to 4B.
    assert (c("PS", 4).assigned, c("PS", 4).taught, c("PS", 4).completers) == (1, 0, 2)
    assert c("PS", 4).pupils == 5 and c("PS", 4).percent == 40
    assert (c("OREL", 4).assigned, c("OREL", 4).taught, c("OREL", 4).completers) == (1, 1, 2)
    assert (c("OBUL", 4).taught, c("OBUL", 4).completers, c("OBUL", 4).state) == (1, 0, "under_way")
    assert c("SII", 4).completers == 1 and c("SII", 4).percent == 20
    # withdrawn (CO, MOI), last year (HWL) and another school's activity do not count
    assert [c(k, 4).state for k in ("CO", "MOI", "HWL")] == ["gap", "gap", "gap"]
    assert (c("MOI", 8).completers, c("MOI", 8).percent) == (1, 50)
    assert c("OBUL", 8).state == "gap"  # assigned last school year only
    assert c("PS", 9).state == "none"  # no classes, no pupils
    assert {(g.key, g.year) for g in found.gaps()} >= {("CO", 4), ("HWL", 4), ("CO", 8)}


def test_topics_and_drill_down_match_the_hand_computed_school(app):
    today = school_calendar.today()
    small = small_school(today)
    found = coverage.matrix([small.school], "topic", today)
    assert found.cell("privacy_passwords", 4).completers == 2
    assert found.cell("copyright", 4).state == "gap"
    detail = coverage_detail.detail(small.school, 4, "strand", "OREL", today)
    assert [(s.lesson_id, s.class_name) for s in detail.sets] == [("ks2-privacy-passwords-1", "4A")]
    assert [(t.lesson_id, t.class_name) for t in detail.taught] == [("ks2-bullying-1", "4B")]
    assert [(k.name, k.pupils, k.completers) for k in detail.classes] == [
        ("4A", 3, 2),
        ("4B", 2, 0),
    ]


@pytest.fixture(scope="session")
def trust_db(databases, migrated_db, tmp_path_factory):
    """A database holding the generated trust, built once per run."""
    path = databases.copy(migrated_db, tmp_path_factory.mktemp("trust") / "trust.db")
    app = create_app(make_config(path))
    with app.app_context():
        began = time.perf_counter()
        ids = generate_trust(school_calendar.today())
        took = time.perf_counter() - began
        db.session.remove()
        db.engine.dispose()
    return path, ids, took


@pytest.fixture
def trust_app(trust_db, fresh_database):
    """An app on a copy of the generated trust's database."""
    app = create_app(make_config(fresh_database(trust_db[0], "trust.db")))
    with app.app_context():
        yield app, trust_db[1]
        db.session.remove()
        db.engine.dispose()


def test_the_trust_is_generated_quickly(trust_db):
    assert trust_db[2] < 15


def test_trust_totals_add_up_and_schools_stay_apart(trust_app):
    _app, ids = trust_app
    today = school_calendar.today()
    schools = [db.session.get(School, i) for i in ids]
    one, two = (coverage.matrix([s], "strand", today) for s in schools)
    both = coverage.matrix(schools, "strand", today)
    assert sum(one.cell("PS", y).pupils + two.cell("PS", y).pupils for y in YEARS) == 2128
    for key in both.keys:
        for year in YEARS:
            cells = (one.cell(key, year), two.cell(key, year), both.cell(key, year))
            assert cells[2].completers == cells[0].completers + cells[1].completers
            assert cells[2].pupils == cells[0].pupils + cells[1].pupils
            assert all(0 <= (c.percent or 0) <= 100 for c in cells)
            assert cells[2].completers <= cells[2].pupils
    # Reception classes had modules set (which strands depends on the seeded pick of lessons)
    assert sum(one.cell(k, 0).assigned + two.cell(k, 0).assigned for k in both.keys) >= 1


def test_statements_match_the_hand_computed_school_in_the_same_few_queries(app):
    today = school_calendar.today()
    small = small_school(today)
    db.session.refresh(small.school)  # loaded now, so neither count below pays for it
    _strands, strand_queries = _counted(lambda: coverage.matrix([small.school], "strand", today))
    found, queries = _counted(lambda: statements.for_year(small.school, 4, today))
    rows = {row.statement.id: row for row in found.rows}
    c = {key: (r.cell.assigned, r.cell.taught, r.cell.completers) for key, r in rows.items()}
    # Year 4 (5 pupils): the privacy lesson (ps-7-11-1 to 4) was set to 4A and a1, a2 finished
    # it; a2 also finished digital footprint (orep-7-11-1 to 3, orel-7-11-4); the bullying
    # lesson (obul-7-11-1 to 3, orel-7-11-4) was taught to 4B; copyright was withdrawn.
    assert c["ps-7-11-1"] == c["ps-7-11-4"] == (1, 0, 2) and rows["ps-7-11-1"].cell.percent == 40
    assert c["orep-7-11-1"] == (0, 0, 1)
    assert c["orel-7-11-4"] == (0, 1, 1) and c["obul-7-11-1"] == (0, 1, 0)
    assert rows["co-7-11-1"].cell.state == "gap" and rows["co-4-7-1"].expected is False
    assert rows["ps-7-11-1"].expected and rows["ps-7-11-1"].cell.state == "under_way"
    touched = 4 + 3 + 1 + 3  # ps-7-11-1..4, orep-7-11-1..3, orel-7-11-4, obul-7-11-1..3
    assert found.counts()["gap"] == sum(1 for r in found.rows if r.expected) - touched
    # the same grouped queries as the strand matrix, however many pupils or statements
    assert queries == strand_queries <= 6


def _counted(work):
    """What work returns, and how many statements it sent to the database."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        return work(), len(seen)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
