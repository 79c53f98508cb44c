"""AUP compliance against the hand-computed school."""

from __future__ import annotations

from app.services import compliance
from app.services.acceptance import school_today
from tests.trust_data import small_school


def test_standings_match_the_hand_computed_school(app):
    today = school_today()
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
    today = school_today()
    small = small_school(today)
    outstanding = compliance.outstanding_for_class(small.classes["4A"], today)
    assert [s.person.username for s in outstanding] == ["a2", "a3"]
    assert compliance.outstanding_for_class(small.classes["4B"], today)[0].person.username == "b1"
