"""The AUP's short form at most logons, the full text when it matters, and KS1's second ask."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import Acceptance, AuditEvent, School, User
from app.services import acceptance, aup_form, school_calendar
from tests.conftest import agree, csrf_token, post, sign_in

PASSWORD = "lantern-demo"


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _esc(text: str) -> str:
    return text.replace("'", "&#39;")


def _shown(page: str, audience: str) -> str:
    """Which form of the audience's AUP a page shows: 'full' or 'short' (checked both ways)."""
    aup = aups().get(audience)
    full = all(_esc(s.text) in page for s in aup.statements)
    short = all(_esc(s.text) in page for s in aup.short.statements)
    assert full != short, "a page shows exactly one form"
    assert ("Read the whole agreement" in page) == short
    return "full" if full else "short"


def _logon(client, username: str) -> str:
    """Sign in afresh (a new logon) and return the AUP page shown."""
    post(client, "/sign-out", token_from="/aup")
    assert sign_in(client, username, PASSWORD).status_code == 303
    return client.get("/aup").get_data(as_text=True)


def _rows(username: str) -> list[Acceptance]:
    user = _user(username)
    return list(
        db.session.scalars(
            sa.select(Acceptance).where(Acceptance.user_id == user.id).order_by(Acceptance.seq)
        )
    )


def test_first_logon_is_full_and_a_second_in_the_same_term_is_short(client, demo_school):
    sign_in(client, "pupil.y8", PASSWORD)
    assert _shown(client.get("/aup").get_data(as_text=True), "secondary") == "full"
    agree(client)
    page = _logon(client, "pupil.y8")
    assert _shown(page, "secondary") == "short"
    assert "The short form of version" in page
    agree(client)
    aup = aups().get("secondary")
    first, second = _rows("pupil.y8")
    assert (first.form, first.form_hash) == ("full", aup.text_hash)
    assert (second.form, second.form_hash) == ("short", aup.short_hash)
    assert second.text_hash == aup.text_hash  # the version agreed to is the full text's


def test_the_form_shown_and_its_hash_are_in_the_chain(client, demo_school):
    sign_in(client, "pupil.y4", PASSWORD)
    agree(client)
    _logon(client, "pupil.y4")
    agree(client)
    row = _rows("pupil.y4")[-1]
    assert row.form == "short"
    assert acceptance.hashed_fields(row)["form"] == "short"
    assert acceptance.hashed_fields(row)["form_hash"] == aups().get("ks2").short_hash
    assert acceptance.verify_chain(row.school_id).broken_at is None
    claimed = acceptance.hashed_fields(row) | {"form": "full", "form_hash": row.text_hash}
    assert acceptance.record_hash(claimed) != row.record_hash  # a short one cannot pass as full


def test_the_first_logon_of_a_new_term_shows_the_full_text(client, demo_school, monkeypatch):
    sign_in(client, "pupil.y8", PASSWORD)
    agree(client)
    term = school_calendar.term_of(demo_school, school_calendar.today())
    monkeypatch.setattr(school_calendar, "today", lambda: term.end + timedelta(days=1))
    page = _logon(client, "pupil.y8")
    assert _shown(page, "secondary") == "full"
    assert "It is a new term" in page
    agree(client)
    assert [row.form for row in _rows("pupil.y8")] == ["full", "full"]


def test_a_text_never_agreed_to_in_full_is_shown_in_full(client, demo_school):
    sign_in(client, "pupil.y8", PASSWORD)
    agree(client)
    pupil, today = _user("pupil.y8"), school_calendar.today()
    current = aups().get("secondary")
    assert aup_form.why_full(pupil, current, today) is None
    changed = current.model_copy(update={"version": "2027.1"})  # a new version of the text
    assert aup_form.why_full(pupil, changed, today) is aup_form.Why.NEW_TEXT


def test_a_short_agreement_never_counts_as_reading_the_whole_text(client, demo_school):
    sign_in(client, "pupil.y8", PASSWORD)
    aup, context = aups().get("secondary"), acceptance.Context(None, "", "")
    today = school_calendar.today()
    acceptance.accept(_user("pupil.y8"), aup, context, today, "short", aup.short_hash)
    assert _shown(client.get("/aup").get_data(as_text=True), "secondary") == "full"


def test_a_pupil_can_ask_for_the_whole_agreement(client, demo_school):
    sign_in(client, "pupil.y12", PASSWORD)
    agree(client)
    _logon(client, "pupil.y12")
    page = client.get("/aup").get_data(as_text=True)
    assert 'href="/aup?form=full"' in page
    whole = client.get("/aup?form=full").get_data(as_text=True)
    assert all(_esc(s.text) in whole for s in aups().get("sixth_form").statements)
    token = csrf_token(client, "/aup?form=full")
    hidden = r'name="(text_hash|form|form_hash)" type="hidden" value="(\w+)"'
    fields = dict(re.findall(hidden, whole))
    assert fields["form"] == "full"
    client.post("/aup/accept", data={"csrf_token": token, **fields})
    assert _rows("pupil.y12")[-1].form == "full"


def test_the_school_can_show_the_whole_agreement_every_time(client, demo_school):
    sign_in(client, "pupil.y8", PASSWORD)
    agree(client)
    db.session.execute(sa.update(School).values(aup_full_every_time=True))
    db.session.commit()
    assert _shown(_logon(client, "pupil.y8"), "secondary") == "full"


def test_the_short_form_cannot_be_agreed_when_the_full_text_is_due(client, demo_school):
    sign_in(client, "pupil.y8", PASSWORD)
    aup = aups().get("secondary")
    data = {"text_hash": aup.text_hash, "form": "short", "form_hash": aup.short_hash}
    response = post(client, "/aup/accept", data, token_from="/aup")
    assert response.headers["Location"].endswith("/aup")
    assert _rows("pupil.y8") == []


def test_adults_always_read_the_full_text(client, demo_school):
    sign_in(client, "teacher", PASSWORD)
    page = client.get("/aup").get_data(as_text=True)
    assert "Read the whole agreement" not in page
    assert 'name="form" type="hidden" value="full"' in page


def test_ks1_do_not_agree_asks_once_more_before_signing_out(client, demo_school):
    sign_in(client, "pupil.y1", PASSWORD)
    page = client.get("/aup").get_data(as_text=True)
    assert 'href="/aup/decline/check"' in page
    assert 'action="/aup/decline"' not in page  # one tap never signs a five-year-old out
    check = client.get("/aup/decline/check").get_data(as_text=True)
    assert "Are you sure?" in check
    back = check.index("Go back to my promises")
    assert back < check.index("I do not agree. Sign me out.")  # going back comes first
    assert 'class="button button--primary button--big button--pictured" href="/aup"' in check
    response = post(client, "/aup/decline", token_from="/aup/decline/check")
    assert response.headers["Location"].endswith("/aup/not-agreed")
    kind = client.get("/aup/not-agreed").get_data(as_text=True)
    assert _esc(aups().get("ks1").decline_message) in kind
    assert client.get("/pupil/").status_code in (302, 303)  # signed out


def test_the_coordinator_chooses_the_whole_agreement_every_time(client, login_as, demo_school):
    login_as("coordinator")
    page = client.get("/coordinator/settings").get_data(as_text=True)
    assert "Show pupils the whole agreement at every sign-in" in page
    data = {"full_every_time": "y"}
    post(client, "/coordinator/settings/aup-form", data, token_from="/coordinator/settings")
    assert db.session.get(School, demo_school.id).aup_full_every_time is True
    post(client, "/coordinator/settings/aup-form", data, token_from="/coordinator/settings")
    post(client, "/coordinator/settings/aup-form", {}, token_from="/coordinator/settings")
    assert db.session.get(School, demo_school.id).aup_full_every_time is False
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event == "aup_form_changed")
    ).all()
    assert [e.detail for e in events] == ['{"full_every_time":true}', '{"full_every_time":false}']


@pytest.mark.parametrize("username", ["teacher", "pupil.y4"])
def test_only_the_coordinator_sets_the_aup_form(client, login_as, demo_school, username):
    login_as(username)
    response = post(client, "/coordinator/settings/aup-form", {"full_every_time": "y"})
    assert response.status_code in (403, 404)
    assert db.session.get(School, demo_school.id).aup_full_every_time is False


def test_an_aup_without_a_short_form_is_always_read_in_full(client, demo_school):
    sign_in(client, "pupil.y8", PASSWORD)
    agree(client)
    pupil, today = _user("pupil.y8"), school_calendar.today()
    published = aups().get("secondary").model_copy(update={"short": None})  # as a school's own
    assert published.text_hash == aups().get("secondary").text_hash
    assert aup_form.why_full(pupil, published, today) is aup_form.Why.NO_SHORT_FORM
