"""My agreements, receipts and the public receipt check (issue 20, parts 3 and 6)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from markupsafe import escape

from app.content import aups
from app.content.aup import AupLibrary
from app.extensions import db
from app.models import Acceptance, AupText, Role, User, utcnow
from app.services import acceptance, agreements, school_calendar, school_settings
from tests import factories
from tests.conftest import agree


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _hashes(page: str) -> list[str]:
    return re.findall(r'<code class="hash">([0-9a-f]{64})</code>', page)


def test_a_pupil_reads_the_words_they_agreed_to(full_demo, login_as):
    client = login_as("pupil.y8")
    page = client.get("/agreements").get_data(as_text=True)
    row = db.session.scalar(sa.select(Acceptance).where(Acceptance.user_id == _user("pupil.y8").id))
    assert row.record_hash in page
    assert row.aup_version in page
    text = agreements.text_for(row.school_id, row.text_hash)
    assert text.statements[0].text in page
    assert "My agreements" in client.get("/", follow_redirects=True).get_data(as_text=True)


def _accept(user: User, session_id: int) -> list[Acceptance]:
    """Accept the user's current AUP as at a sign-in session of that id."""
    context = acceptance.Context(session_id, "10.0.0.7", "pytest")
    aup = school_settings.current_aup(user.school_id, user.audience, "en", school_calendar.today())
    return acceptance.accept(user, aup, context, school_calendar.today())


def test_each_logon_is_one_line_with_a_count(full_demo, login_as):
    pupil = _user("pupil.y4")
    for session_id in (9001, 9002, 9003):
        _accept(pupil, session_id)
    client = login_as("pupil.y4")  # agrees a fourth time: the short form, having read it all
    page = client.get("/agreements").get_data(as_text=True)
    assert "3 times, first on" in page  # the full text, one line for three logons
    assert "Short form" in page or "short form" in page
    assert page.count("Print or save a receipt") == 2  # one line per text and form shown


def test_a_parent_sees_their_own_agreements_and_reads_what_each_child_promises(
    demo_school, login_as
):
    client = login_as("parent")
    page = client.get("/agreements").get_data(as_text=True)
    for username in ("pupil.y4", "pupil.y8"):
        child = _user(username)
        promise = school_settings.current_aup(
            child.school_id, child.audience, "en", school_calendar.today()
        )
        assert f"Read what {child.display_name} promises" in page
        assert str(escape(promise.statements[-1].text)) in page
        assert f"for {child.display_name}" in page  # the parent's own agreement for that child
    assert "has not agreed yet" in page  # the children have not signed in in this test
    login_as_child = _user("pupil.y4")
    _accept(login_as_child, 4242)
    page = client.get("/agreements").get_data(as_text=True)
    assert f"{login_as_child.display_name} last agreed on" in page


def test_a_parent_is_offered_a_receipt_after_agreeing_and_a_pupil_is_not(demo_school, login_as):
    client = login_as("parent", accept=False)
    page = agree(client)
    page = client.get(page.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Print or save a receipt:" in page
    links = re.findall(r'href="(/agreements/receipt/\d+)"', page)
    assert len(links) == 2  # one record for each child
    receipt = client.get(links[0]).get_data(as_text=True)
    assert "Receipt for an agreement" in receipt
    assert 'src="data:image/svg+xml;base64,' in receipt


def test_a_receipt_says_who_for_whom_what_when_and_the_chain_head(demo_school, login_as):
    parent = _user("parent")
    rows = _accept(parent, 777)
    later = _accept(_user("pupil.y8"), 778)  # the chain moves on before the receipt is made
    client = login_as("parent", accept=False)
    page = client.get(f"/agreements/receipt/{rows[0].id}").get_data(as_text=True)
    child = db.session.get(User, rows[0].on_behalf_of_id)
    assert parent.display_name in page and child.display_name in page
    assert rows[0].aup_version in page and "the full text" in page
    assert rows[0].record_hash in page
    assert f"Record {later[0].seq} of the school" in page and later[0].record_hash in page
    assert f"/verify?hash={rows[0].record_hash}" in page


def test_nobody_opens_anyone_elses_receipt(demo_school, login_as):
    theirs = _accept(_user("pupil.y8"), 31)[0]
    client = login_as("parent")  # pupil.y8's own parent: still not the child's own record
    assert client.get(f"/agreements/receipt/{theirs.id}").status_code == 404
    other_school = factories.school()
    stranger = factories.user(other_school, Role.PUPIL, year=5, password=None)
    db.session.commit()
    elsewhere = _accept(stranger, 32)[0]
    assert client.get(f"/agreements/receipt/{elsewhere.id}").status_code == 404
    assert stranger.display_name not in client.get("/agreements").get_data(as_text=True)


def test_signed_out_my_agreements_asks_for_sign_in(client):
    response = client.get("/agreements")
    assert response.status_code in (302, 303) and "/sign-in" in response.headers["Location"]


def test_a_genuine_receipt_verifies_and_an_altered_record_does_not(demo_school, client):
    rows = [_accept(_user(name), n) for n, name in enumerate(("pupil.y4", "pupil.y8", "teacher"))]
    middle = rows[1][0]
    page = client.get(f"/verify?hash={middle.record_hash}").get_data(as_text=True)
    assert "This record is genuine." in page
    assert _user("pupil.y8").display_name not in page and demo_school.name not in page
    # typed with spaces and capitals, as from a printed receipt
    spaced = " ".join(middle.record_hash[i : i + 8] for i in range(0, 64, 8)).upper()
    assert "This record is genuine." in client.get("/verify", query_string={"hash": spaced}).text
    factories.drop_insert_only_triggers()  # an attacker with full access to the database
    db.session.execute(
        sa.text("UPDATE acceptance SET accepted_at = :when WHERE id = :id"),
        {"when": "2020-01-01 09:00:00.000000", "id": middle.id},
    )
    db.session.commit()
    page = client.get(f"/verify?hash={middle.record_hash}").get_data(as_text=True)
    assert "This record does not check out." in page
    assert "This record is genuine." not in page


def test_a_removed_last_record_is_not_found_from_its_own_receipt(demo_school, client):
    first, last = (_accept(_user(name), n)[0] for n, name in enumerate(("pupil.y4", "pupil.y8")))
    last_id, last_hash = last.id, last.record_hash
    assert "This record is genuine." in client.get(f"/verify?hash={first.record_hash}").text
    factories.drop_insert_only_triggers()
    db.session.execute(sa.text("DELETE FROM acceptance WHERE id = :id"), {"id": last_id})
    db.session.commit()
    assert "No record with this hash is held." in client.get(f"/verify?hash={last_hash}").text


def test_a_record_in_the_middle_removed_shows_on_its_neighbours(demo_school, client):
    rows = [_accept(_user(n), i)[0] for i, n in enumerate(("pupil.y4", "pupil.y8", "teacher"))]
    factories.drop_insert_only_triggers()
    db.session.execute(sa.text("DELETE FROM acceptance WHERE id = :id"), {"id": rows[1].id})
    db.session.commit()
    for row in (rows[0], rows[2]):
        assert (
            "This record does not check out." in client.get(f"/verify?hash={row.record_hash}").text
        )


def test_the_check_refuses_what_is_not_a_hash_and_finds_nothing_unknown(client):
    page = client.get("/verify?hash=not-a-hash").get_data(as_text=True)
    assert "A record hash is 64 characters long" in page and 'aria-invalid="true"' in page
    assert 'value="not-a-hash"' in page  # what was typed is kept
    assert "No record with this hash is held." in client.get(f"/verify?hash={'ab' * 32}").text
    empty = client.get("/verify").get_data(as_text=True)
    assert "Check an agreement receipt" in empty and "field__error" not in empty


def test_the_check_is_rate_limited_per_address(app, client):
    app.config["RATELIMIT_ENABLED"] = True
    answers = [client.get(f"/verify?hash={'cd' * 32}").status_code for _ in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429


def test_an_older_versions_words_are_kept_once_the_file_changes(demo_school, login_as, app):
    teacher = _user("teacher")
    row = _accept(teacher, 55)[0]
    assert db.session.scalar(sa.select(AupText.body).where(AupText.text_hash == row.text_hash))
    _accept(_user("coordinator"), 56)  # the same text again: kept once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AupText)) == 1
    original = agreements.text_for(teacher.school_id, row.text_hash)
    library = aups()
    # a new deploy: the staff file now holds another version, with other words
    newer = [
        a.model_copy(update={"version": "2099.1", "closing": "New words."})
        if a.audience == "staff"
        else a
        for a in library.all()
    ]
    app.extensions["lantern.aups"] = AupLibrary(newer)
    try:
        assert all(a.text_hash != row.text_hash for a in aups().all())
        assert agreements.text_for(teacher.school_id, row.text_hash) == original
        client = login_as("teacher")  # agrees to the new version
        page = client.get("/agreements").get_data(as_text=True)
        assert "2099.1" in page and row.aup_version in page
        assert str(escape(original.closing)) in page and "no longer holds" not in page
        db.session.execute(sa.delete(AupText))  # had it never been kept: said honestly
        db.session.commit()
        page = client.get("/agreements").get_data(as_text=True)
        assert "Lantern no longer holds the words of this version" in page
    finally:
        app.extensions["lantern.aups"] = library


def test_the_governors_report_prints_the_chain_head(demo_school, login_as):
    client = login_as("coordinator")
    _accept(_user("pupil.y12"), 99)
    head_seq, head_hash = agreements.chain_head(demo_school.id)
    assert head_seq > 0
    page = client.get("/coordinator/report").get_data(as_text=True)
    assert head_hash in page and f"holds {head_seq} agreements" in page


def _entered_by_staff(school, user: User, staff: User, child: User) -> Acceptance:
    """A parent's paper agreement for child, entered by staff in user's name, chained."""
    aup = school_settings.current_aup(child.school_id, "parent", "en", school_calendar.today())
    seq, prev = agreements.chain_head(school.id)
    row = Acceptance(
        seq=seq + 1, school_id=school.id, user_id=user.id, on_behalf_of_id=child.id,
        login_session_id=None, audience="parent", aup_id=aup.id, aup_version=aup.version,
        locale=aup.locale, text_hash=aup.text_hash, accepted_at=utcnow(), hash_rule=3,
        form="full", form_hash=aup.text_hash, recorded_by_id=staff.id, method="paper",
        network="", browser="", client_digest="", legacy_mac=None, prev_hash=prev,
    )  # fmt: skip
    row.record_hash = acceptance.record_hash(acceptance.hashed_fields(row))
    db.session.add(row)
    db.session.commit()
    return row


def test_a_parent_sees_an_agreement_the_school_entered_for_them_marked_as_such(
    demo_school, login_as
):
    parent, office = _user("parent"), _user("admin")
    row = _entered_by_staff(demo_school, parent, office, _user("pupil.y4"))
    _entered_by_staff(demo_school, parent, office, _user("pupil.y8"))
    client = login_as("parent", accept=False)  # both slips entered: nothing left to agree to
    response = client.get("/agreements")
    assert response.status_code == 200, response.headers.get("Location")
    page = response.get_data(as_text=True)
    assert row.record_hash in page
    assert "by the school on your behalf, given on a signed paper slip" in page
    receipt = client.get(f"/agreements/receipt/{row.id}").get_data(as_text=True)
    assert f"Recorded by {office.display_name} for the school" in receipt


def test_an_agreement_staff_entered_for_a_parent_without_an_account_is_not_the_staffs(
    demo_school, login_as
):
    teacher, child = _user("teacher"), _user("pupil.y4")
    row = _entered_by_staff(demo_school, teacher, teacher, child)
    client = login_as("teacher")
    page = client.get("/agreements").get_data(as_text=True)
    assert row.record_hash not in page and "Parent and carer agreement" not in page
    assert client.get(f"/agreements/receipt/{row.id}").status_code == 404
    assert "This record is genuine." in client.get(f"/verify?hash={row.record_hash}").text
