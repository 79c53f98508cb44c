"""Every parent counted: pupils whose parent or carer has agreed, against a hand-worked school."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import Acceptance, AcceptanceNote, Method, Role, utcnow
from app.services import acceptance, compliance, erasure, school_calendar
from tests import factories
from tests.trust_data import small_school


@pytest.fixture
def worked(app):
    """The hand-computed school (tests/trust_data.small_school), with parents and paper slips.

    4A: a1's parent p agreed online; a2's parent p has not (for a2); a3 has no parent.
    4B: b1's parents have no account and returned a paper slip; b2 nothing.
    8X: c1's parent q has an account and has not agreed; c2's parent r (one linked parent)
    agreed by phone with the office. So 3 of 7 pupils, 2 of them recorded on behalf.
    """
    today = school_calendar.today()
    small = small_school(today)
    people = small.people
    office = factories.user(small.school, Role.ADMIN, username="office", password=None)
    office.display_name = "Mrs Office"
    for name, child in (("q", "c1"), ("r", "c2")):
        people[name] = factories.user(small.school, Role.PARENT, username=name, password=None)
        people[name].children.append(people[child])
    db.session.commit()
    parent_aup = aups().get("parent")
    got = acceptance.record_on_behalf(
        office, parent_aup, [people["b1"]], Method.PAPER, today, "slip in bag", today
    )
    got += acceptance.record_on_behalf(
        office, parent_aup, [people["c2"]], Method.PHONE, today, "", today
    )
    db.session.commit()
    small.people["office"] = office
    return small, got, today


def test_pupils_are_counted_from_the_roster_whether_or_not_a_parent_has_an_account(worked):
    small, _made, today = worked
    found = compliance.report(small.school, today)
    coverage = compliance.parent_coverage(found)
    by_class = {
        c.name: [(row.pupil.username, row.agreed) for row in rows] for c, rows in coverage.classes
    }
    assert by_class == {
        "4A": [("a1", True), ("a2", False), ("a3", False)],
        "4B": [("b1", True), ("b2", False)],
        "8X": [("c1", False), ("c2", True)],
    }
    assert (coverage.agreed, len(coverage.pupils), coverage.on_behalf) == (3, 7, 2)
    # parent accounts alone would say 1 accepted and 2 outstanding (p for a2, q for c1)
    parents = found.audiences["parent"]
    assert (parents.accepted, len(parents.outstanding)) == (2, 2)  # r's phone call counts


def test_a_paper_agreement_is_marked_with_how_and_by_whom(app, worked):
    small, _made, today = worked
    coverage = compliance.parent_coverage(compliance.report(small.school, today))
    rows = {row.pupil.username: row for row in coverage.pupils}
    assert rows["a1"].on_behalf is None
    with app.test_request_context():
        assert compliance.on_behalf_text(rows["b1"].on_behalf) == (
            "recorded on behalf (paper slip, by Mrs Office)"
        )
        assert compliance.on_behalf_text(rows["c2"].on_behalf) == (
            "recorded on behalf (phone call, by Mrs Office)"
        )


def test_the_record_names_the_one_linked_parent_else_the_member_of_staff(worked):
    small, made, _today = worked
    b1, c2 = made
    people = small.people
    assert (b1.on_behalf_of_id, b1.user_id) == (people["b1"].id, people["office"].id)
    assert (c2.on_behalf_of_id, c2.user_id) == (people["c2"].id, people["r"].id)
    assert {b1.recorded_by_id, c2.recorded_by_id} == {people["office"].id}
    assert (b1.method, c2.method, b1.hash_rule) == ("paper", "phone", 3)
    note = db.session.scalar(sa.select(AcceptanceNote).where(AcceptanceNote.acceptance_id == b1.id))
    assert (note.note, note.received_on) == ("slip in bag", _today)
    # r is not asked again at sign-in for c2: the chain says r's family agreed
    assert acceptance.pending(people["r"], aups().get("parent"), None, _today) == []


def test_recording_twice_records_nothing_twice_and_the_chain_verifies(worked):
    small, _made, today = worked
    office, people = small.people["office"], small.people
    before = db.session.scalar(sa.select(sa.func.count(Acceptance.id)))
    again = acceptance.record_on_behalf(
        office, aups().get("parent"), [people["b1"], people["a1"], people["a3"], people["a3"]],
        Method.PAPER, today, "", today,
    )  # fmt: skip
    db.session.commit()
    assert [row.on_behalf_of_id for row in again] == [people["a3"].id]
    assert db.session.scalar(sa.select(sa.func.count(Acceptance.id))) == before + 1
    report = acceptance.verify_chain(small.school.id)
    assert report.broken_at is None and report.count == before - _other_school(small) + 1


def _other_school(small) -> int:
    """How many acceptances belong to schools other than the worked one."""
    return db.session.scalar(
        sa.select(sa.func.count(Acceptance.id)).where(Acceptance.school_id != small.school.id)
    )


def test_changing_how_it_was_obtained_breaks_the_chain(worked):
    small, made, _today = worked
    factories.drop_insert_only_triggers()  # someone with full access to the database
    db.session.execute(
        sa.text("UPDATE acceptance SET method = 'in_person' WHERE id = :id"), {"id": made[0].id}
    )
    db.session.commit()
    assert acceptance.verify_chain(small.school.id).broken_at == made[0].id


def test_an_agreement_to_an_earlier_version_is_outstanding(worked):
    small, _made, today = worked
    old = aups().get("parent").model_copy(update={"version": "0.9", "text_hash": "f" * 64})
    acceptance.record_on_behalf(
        small.people["office"], old, [small.people["b2"]], Method.PAPER, today, "", today
    )
    db.session.commit()
    coverage = compliance.parent_coverage(compliance.report(small.school, today))
    assert not {row.pupil.username: row for row in coverage.pupils}["b2"].agreed
    assert compliance.class_parent_coverage(small.classes["4B"], today)[0].pupil.username == "b2"


def test_erasing_a_pupil_blanks_the_notes_on_their_agreements_and_the_chain_verifies(worked):
    small, made, _today = worked
    b1 = small.people["b1"]
    b1.active, b1.left_at = False, utcnow()
    db.session.commit()
    erasure.erase(b1, erasure.Reason.REQUEST, actor_id=None)
    db.session.commit()
    note = db.session.scalar(
        sa.select(AcceptanceNote).where(AcceptanceNote.acceptance_id == made[0].id)
    )
    assert note.note == "" and note.received_on is not None
    assert acceptance.verify_chain(small.school.id).broken_at is None


def test_a_pupil_of_another_school_or_a_parent_is_never_recorded(worked):
    small, _made, today = worked
    office = small.people["office"]
    for stranger in (small.people["x"], small.people["p"]):  # another school's pupil; a parent
        with pytest.raises(ValueError):
            acceptance.record_on_behalf(
                office, aups().get("parent"), [stranger], Method.PAPER, today, "", today
            )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Acceptance.id)).where(
        Acceptance.on_behalf_of_id.in_([small.people["x"].id, small.people["p"].id])
    )) == 0  # fmt: skip
