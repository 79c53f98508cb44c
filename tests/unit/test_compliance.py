"""AUP compliance against the hand-computed school."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.services import compliance, school_calendar
from tests.trust_data import small_school


def test_standings_match_the_hand_computed_school(app):
    today = school_calendar.today()
    small = small_school(today)
    found = compliance.report(small.school, today)
    ks2 = found.audiences["ks2"]
    standing = {s.person.username: s for s in ks2.standings}
    assert standing["a1"].accepted and standing["a1"].last_current is not None
    assert not standing["a2"].accepted and standing["a2"].last_any is not None  # old version
    assert not standing["b1"].accepted and standing["b1"].last_any is None
    assert "x" not in standing  # another school's pupil
    assert [s.person.username for s in found.audiences["staff"].standings if s.accepted] == ["t"]
    parents = [(s.child.username, s.accepted) for s in found.audiences["parent"].standings]
    assert parents == [("a1", True), ("a2", False)]
    assert found.audiences["secondary"].accepted == 0
    assert len(found.audiences["secondary"].outstanding) == 2


def test_outstanding_for_a_class_lists_who_a_teacher_must_ask(app):
    today = school_calendar.today()
    small = small_school(today)
    outstanding = compliance.outstanding_for_class(small.classes["4A"], today)
    assert [s.person.username for s in outstanding] == ["a2", "a3"]
    assert compliance.outstanding_for_class(small.classes["4B"], today)[0].person.username == "b1"


def test_a_class_list_agrees_with_the_whole_school_report(app):
    today = school_calendar.today()
    small = small_school(today)
    found = compliance.report(small.school, today)
    for school_class, standings in found.classes:
        expected = [s.person.username for s in standings if not s.accepted]
        got = compliance.outstanding_for_class(school_class, today)
        assert [s.person.username for s in got] == expected, school_class.name


def test_a_class_list_reads_only_that_class_s_acceptances(app):
    today = school_calendar.today()
    small = small_school(today)
    reads: list = []

    def note(conn, cursor, statement, parameters, *args):
        if "FROM acceptance" in statement or "FROM aup_latest" in statement:
            # SQLite's driver takes a tuple of parameters; psycopg a dict of named ones
            reads.append(set(parameters.values() if isinstance(parameters, dict) else parameters))

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        compliance.outstanding_for_class(small.classes["4A"], today)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    pupils = {p.id for p in small.classes["4A"].pupils}
    assert reads == [pupils | {small.school.id}]
