"""The office enters parents' AUP agreements from returned paper slips, a class at a time."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Acceptance, AcceptanceNote, AuditEvent, SchoolClass, User
from app.services import school_calendar
from tests import factories
from tests.conftest import post
from tests.pages import client_for


def _class(name: str) -> SchoolClass:
    """A demo class by name."""
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _user(username: str) -> User:
    """A demo account by username."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def _slips(client, school_class: SchoolClass, pupils: list[User], **fields):
    """Submit the class's bulk-entry form with these pupils ticked."""
    path = f"/paper-agreements/class/{school_class.id}"
    data = {"method": "paper", "received_on": school_calendar.today().isoformat(), "note": ""}
    data |= fields
    data["pupil"] = [str(p.id) for p in pupils]
    return post(client, path, data, token_from=path)


def _on_behalf() -> list[Acceptance]:
    """Every record entered on a parent's behalf, in chain order."""
    return list(
        db.session.scalars(
            sa.select(Acceptance)
            .where(Acceptance.recorded_by_id.is_not(None))
            .order_by(Acceptance.school_id, Acceptance.seq)
        )
    )


def test_the_office_records_a_class_s_returned_slips_in_one_submit(demo_school, login_as, runner):
    client = login_as("admin")
    four_b, admin = _class("4B"), _user("admin")
    pupils = sorted(four_b.pupils, key=lambda p: p.display_name)
    page = client.get(f"/paper-agreements/class/{four_b.id}").get_data(as_text=True)
    assert f"Pupils whose parent or carer has agreed: 0 of {len(pupils)}" in page
    response = _slips(client, four_b, pupils, method="phone", note="Rang Mrs C. at 3pm")
    assert response.status_code == 303
    made = _on_behalf()
    assert [r.on_behalf_of_id for r in made] == [p.id for p in pupils]
    assert {(r.recorded_by_id, r.method, r.audience) for r in made} == {
        (admin.id, "phone", "parent")
    }
    y4 = _user("pupil.y4")
    mine = next(r for r in made if r.on_behalf_of_id == y4.id)
    assert mine.user_id == _user("parent").id  # pupil.y4's one linked parent
    notes = db.session.scalars(sa.select(AcceptanceNote.note)).all()
    assert notes == ["Rang Mrs C. at 3pm"] * len(pupils)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    count = len(pupils)
    assert f"{count} parent agreements recorded." in page
    assert f"Pupils whose parent or carer has agreed: {count} of {count}" in page
    assert "recorded on behalf (phone call, by " in page
    logged = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.event == "aup_recorded_on_behalf")
    )
    assert logged.actor_id == admin.id
    result = runner.invoke(args=["aup", "verify"])
    assert result.exit_code == 0, result.output


def test_submitting_the_same_slips_again_records_nothing_twice(demo_school, login_as):
    client = login_as("coordinator")
    four_b = _class("4B")
    y4 = _user("pupil.y4")
    assert _slips(client, four_b, [y4]).status_code == 303
    response = _slips(client, four_b, [y4])
    assert response.status_code == 303
    assert len(_on_behalf()) == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 pupil ticked already had a parent agreement: nothing was recorded twice." in page


def test_bad_input_loses_nothing_ticked_and_records_nothing(demo_school, login_as):
    client = login_as("admin")
    four_b = _class("4B")
    pupils = list(four_b.pupils)
    tomorrow = (school_calendar.today() + timedelta(days=1)).isoformat()
    response = _slips(client, four_b, pupils, received_on=tomorrow, note="Slips from the bag")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The date received cannot be in the future." in page
    for pupil in pupils:
        assert f'value="{pupil.id}" checked' in page
    assert "Slips from the bag" in page
    response = _slips(client, four_b, pupils, method="carrier pigeon")
    assert response.status_code == 400
    assert f'value="{pupils[0].id}" checked' in response.get_data(as_text=True)
    response = _slips(client, four_b, [])
    assert response.status_code == 400
    assert "Tick at least one pupil" in response.get_data(as_text=True)
    assert _on_behalf() == []


def test_another_school_s_pupil_or_class_is_not_found(demo_school, login_as):
    other = factories.school("Elm School")
    elsewhere = factories.school_class(other, "4E", 4)
    stranger = factories.user(other, username="elm.pupil", year=4, password=None)
    elsewhere.pupils.append(stranger)
    db.session.commit()
    client = login_as("admin")
    assert client.get(f"/paper-agreements/class/{elsewhere.id}").status_code == 404
    assert _slips(client, elsewhere, [stranger]).status_code == 404
    # another school's pupil ticked on this school's class is ignored, never recorded
    assert _slips(client, _class("4B"), [stranger]).status_code == 400
    assert _on_behalf() == []


def test_teachers_parents_and_pupils_cannot_record(app, demo_school):
    four_b = _class("4B")  # the teacher's own class: they hand the slips to the office
    for username in ("teacher", "parent", "pupil.y4"):
        client = client_for(app, username)
        assert client.get(f"/paper-agreements/class/{four_b.id}").status_code == 403, username
        assert client.get("/paper-agreements/").status_code == 403, username
        assert client.post(f"/paper-agreements/class/{four_b.id}").status_code in (400, 403)
    assert _on_behalf() == []


def test_the_index_counts_every_class_and_links_to_each(demo_school, login_as):
    client = login_as("coordinator")
    _slips(client, _class("4B"), [_user("pupil.y4")])
    page = client.get("/paper-agreements/").get_data(as_text=True)
    pupils = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.school_id == demo_school.id, User.role == "pupil", User.active.is_(True)
        )
    )
    assert f"Pupils whose parent or carer has agreed: 1 of {pupils}" in page
    assert f"/paper-agreements/class/{_class('4B').id}" in page


def test_every_report_counts_pupils_and_marks_what_was_recorded_on_behalf(demo_school, login_as):
    client = login_as("coordinator")
    four_b, y4 = _class("4B"), _user("pupil.y4")
    pupils = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.school_id == demo_school.id, User.role == "pupil", User.active.is_(True)
        )
    )
    page = client.get("/coordinator/compliance").get_data(as_text=True)
    assert f"Pupils whose parent or carer has agreed: 0 of {pupils}" in page
    assert y4.display_name in page  # listed as outstanding, by name, for staff
    assert _slips(client, four_b, [y4]).status_code == 303
    who = _user("coordinator").display_name
    marking = f"recorded on behalf (paper slip, by {who})"
    page = client.get("/coordinator/compliance").get_data(as_text=True)
    assert f"Pupils whose parent or carer has agreed: 1 of {pupils}" in page
    assert marking in page
    page = client.get(f"/coordinator/compliance/class/{four_b.id}").get_data(as_text=True)
    assert f"Pupils whose parent or carer has agreed: 1 of {len(four_b.pupils)}" in page
    assert marking in page
    report = client.get("/coordinator/report").get_data(as_text=True)
    assert f"Pupils whose parent or carer has agreed: 1 of {pupils}" in report
    assert "1 of these was recorded on a parent’s behalf." in report
    assert y4.display_name not in report  # governors see counts, never names
    csv = client.get("/coordinator/export/compliance.csv").get_data(as_text=True)
    assert f'{y4.display_name},4B,yes,{school_calendar.today().isoformat()},"{marking}"' in csv
    parent = _user("parent").display_name
    assert f"{parent},,{y4.display_name},yes," in csv and csv.count(marking) == 2


def test_the_parent_sees_the_office_recorded_their_paper_slip(app, demo_school, login_as):
    client = login_as("admin")
    y4, y8 = _user("pupil.y4"), _user("pupil.y8")
    assert _slips(client, _class("4B"), [y4]).status_code == 303
    page = client_for(app, "parent").get("/parent/").get_data(as_text=True)
    who = _user("admin").display_name
    assert f"AUP signed for {y4.display_name} on " in page
    assert f"recorded on behalf (paper slip, by {who})" in page
    assert page.count("recorded on behalf") == 1  # not for pupil.y8, signed online by the parent
    assert y8.display_name in page


def test_a_date_that_is_not_a_date_is_asked_for_again(demo_school, login_as):
    client = login_as("admin")
    four_b = _class("4B")
    response = _slips(client, four_b, list(four_b.pupils)[:1], received_on="32/13/2026")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the date the slips or calls reached the school." in page
    assert "Not a valid date value" not in page
    assert _on_behalf() == []
