"""The AUP gate: nothing before I agree, the right AUP for each person, and how often."""

from __future__ import annotations

import re
from datetime import timedelta
from importlib.metadata import version

import pytest
import sqlalchemy as sa

from app.content import aups
from app.content.aup import AupLibrary
from app.extensions import db
from app.models import Acceptance, AupSetting, Frequency, Role, User
from app.services import minimise, school_calendar, school_settings
from tests import factories
from tests.conftest import agree, csrf_token, post, sign_in

EXPECTED_AUDIENCE = {
    "pupil.y1": "ks1",
    "pupil.y4": "ks2",
    "pupil.y8": "secondary",
    "pupil.y10": "secondary",
    "pupil.y12": "sixth_form",
    "teacher": "staff",
    "coordinator": "staff",
    "admin": "staff",
    "parent": "parent",
    "visitor": "visitor",
}
HOMES = {"pupil.y4": "/pupil/", "teacher": "/teacher/", "coordinator": "/coordinator/",
         "admin": "/admin/", "parent": "/parent/", "visitor": "/guest"}  # fmt: skip


@pytest.mark.parametrize(("username", "audience"), EXPECTED_AUDIENCE.items())
def test_each_role_meets_its_own_aup(client, demo_school, username, audience):
    sign_in(client, username, "lantern-demo")
    page = client.get("/aup").get_data(as_text=True)
    aup = aups().get(audience)
    assert aup.title in page
    assert aup.statements[0].text.replace("'", "&#39;") in page
    assert re.search(r">\s*I agree\s*</button>", page)  # KS1's has a picture before its words


@pytest.mark.parametrize(
    "path", ["/", "/pupil/", "/teacher/", "/parent/", "/admin/", "/no-such-page"]
)
def test_no_page_is_reachable_before_agreeing(client, demo_school, path):
    sign_in(client, "pupil.y4", "lantern-demo")
    response = client.get(path)
    assert response.status_code in (302, 303)
    final = client.get(path, follow_redirects=True)
    assert final.request.path == "/aup"


def test_htmx_requests_are_sent_to_the_aup_too(client, demo_school):
    sign_in(client, "pupil.y4", "lantern-demo")
    response = client.get("/pupil/", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == "/aup"


def test_agreeing_records_proof_and_lands_on_home(client, demo_school):
    sign_in(client, "pupil.y4", "lantern-demo")
    response = agree(client)
    assert response.headers["Location"] == "/aup/check"  # the once-a-term question, then on
    home = client.get("/", follow_redirects=True)
    assert home.request.path == "/pupil/"
    assert "Your agreement was recorded" in home.get_data(as_text=True)
    row = db.session.scalar(sa.select(Acceptance))
    pupil = db.session.scalar(sa.select(User).where(User.username == "pupil.y4"))
    assert (row.user_id, row.on_behalf_of_id, row.audience) == (pupil.id, None, "ks2")
    assert row.text_hash == aups().get("ks2").text_hash
    assert row.aup_version == aups().get("ks2").version
    assert (row.network, row.ip_address, row.user_agent) == ("127.0.0.0/24", "", "")
    agent = f"Werkzeug/{version('werkzeug')}"  # the test client's browser string
    assert row.client_digest == minimise.client_digest("127.0.0.1", agent)


def test_pupils_meet_the_aup_again_at_every_logon(client, demo_school):
    sign_in(client, "pupil.y4", "lantern-demo")
    agree(client)
    assert client.get("/pupil/").status_code == 200
    post(client, "/sign-out", token_from="/pupil/")
    sign_in(client, "pupil.y4", "lantern-demo")
    assert client.get("/pupil/").headers["Location"] == "/aup"


def test_double_submit_records_once(client, demo_school):
    sign_in(client, "pupil.y4", "lantern-demo")
    agree(client)
    agree_again = post(client, "/aup/accept", {"text_hash": aups().get("ks2").text_hash}, "/pupil/")
    assert agree_again.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Acceptance.id))) == 1


def test_a_changed_text_cannot_be_accepted_unseen(client, demo_school):
    sign_in(client, "pupil.y4", "lantern-demo")
    response = post(client, "/aup/accept", {"text_hash": "0" * 64}, "/aup")
    assert response.headers["Location"] == "/aup"
    assert db.session.scalar(sa.select(sa.func.count(Acceptance.id))) == 0


def test_declining_signs_out_with_a_kind_message(client, demo_school):
    sign_in(client, "pupil.y4", "lantern-demo")
    response = post(client, "/aup/decline", token_from="/aup")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert aups().get("ks2").decline_message.replace("'", "&#39;") in page
    assert client.get("/pupil/").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Acceptance.id))) == 0


def test_a_parent_signs_for_each_child(client, demo_school):
    sign_in(client, "parent", "lantern-demo")
    page = client.get("/aup").get_data(as_text=True)
    assert "Ben C." in page and "Chloe C." in page
    agree(client)
    rows = db.session.scalars(sa.select(Acceptance).order_by(Acceptance.seq)).all()
    children = {u.username: u.id for u in db.session.scalars(sa.select(User))}
    assert [r.on_behalf_of_id for r in rows] == sorted(
        [children["pupil.y4"], children["pupil.y8"]],
        key=lambda i: db.session.get(User, i).display_name,
    )
    assert {r.user_id for r in rows} == {children["parent"]}


def _sign_in_again(client, username) -> bool:
    """Sign out and in again; True when the AUP is asked for again."""
    post(client, "/sign-out", token_from="/")
    sign_in(client, username, "lantern-demo")
    return client.get("/", follow_redirects=True).request.path == "/aup"


def _set_frequency(audience: str, frequency: Frequency) -> None:
    school_id = db.session.scalar(sa.select(User.school_id).limit(1))
    db.session.add(AupSetting(school_id=school_id, audience=audience, frequency=frequency))
    db.session.commit()


def test_staff_default_is_once_per_version_and_school_year(client, demo_school, monkeypatch):
    sign_in(client, "teacher", "lantern-demo")
    agree(client)
    assert _sign_in_again(client, "teacher") is False  # same version, same school year
    next_year = school_calendar.today() + timedelta(days=366)
    monkeypatch.setattr(school_calendar, "today", lambda: next_year)
    assert _sign_in_again(client, "teacher") is True


def test_each_logon_setting_applies_to_staff_too(client, demo_school):
    _set_frequency("staff", Frequency.EACH_LOGON)
    sign_in(client, "teacher", "lantern-demo")
    agree(client)
    assert _sign_in_again(client, "teacher") is True


def test_per_version_setting_ignores_the_school_year(client, demo_school, monkeypatch):
    _set_frequency("ks2", Frequency.PER_VERSION)
    sign_in(client, "pupil.y4", "lantern-demo")
    agree(client)
    assert _sign_in_again(client, "pupil.y4") is False
    next_year = school_calendar.today() + timedelta(days=366)
    monkeypatch.setattr(school_calendar, "today", lambda: next_year)
    assert _sign_in_again(client, "pupil.y4") is False


def test_a_new_version_needs_fresh_acceptance(client, demo_school, app, monkeypatch):
    _set_frequency("ks2", Frequency.PER_VERSION)
    sign_in(client, "pupil.y4", "lantern-demo")
    agree(client)
    library = aups()
    current = library.get("ks2")
    newer = current.model_copy(update={"version": current.version + "-b"})
    original_get = type(library).get
    monkeypatch.setattr(
        type(library),
        "get",
        lambda self, audience, locale="en": (
            newer if audience == "ks2" else original_get(self, audience, locale)
        ),
    )
    assert _sign_in_again(client, "pupil.y4") is True


def test_settings_are_per_school(client, demo_school):
    from tests import factories

    other = factories.school()
    db.session.add(AupSetting(school_id=other.id, audience="ks2", frequency=Frequency.PER_VERSION))
    db.session.commit()
    assert school_settings.frequency_for(demo_school.id, "ks2") is Frequency.EACH_LOGON
    assert school_settings.frequency_for(other.id, "ks2") is Frequency.PER_VERSION


def test_aup_page_has_no_csrf_free_forms(client, demo_school):
    sign_in(client, "pupil.y4", "lantern-demo")
    page = client.get("/aup").get_data(as_text=True)
    assert page.count("<form") == page.count('name="csrf_token"')
    assert csrf_token(client, "/aup")


def test_a_text_changed_under_the_same_label_is_asked_again(app, client, demo_school):
    sign_in(client, "teacher", "lantern-demo")
    agree(client)
    assert client.get("/teacher/").status_code == 200
    staff = aups().get("staff")
    reworded = staff.model_copy(update={"intro": "Reworded, same version label."})
    others = [a for a in aups().all() if a.audience != "staff"]
    app.extensions["lantern.aups"] = AupLibrary([*others, reworded])
    assert reworded.version == staff.version
    assert client.get("/teacher/").headers["Location"] == "/aup"  # in the same sign-in too
    assert "Reworded, same version label." in client.get("/aup").get_data(as_text=True)
    assert agree(client).status_code == 303
    assert client.get("/teacher/").status_code == 200
    hashes = db.session.scalars(sa.select(Acceptance.text_hash).order_by(Acceptance.id)).all()
    assert hashes == [staff.text_hash, reworded.text_hash]


def test_a_parent_linked_to_another_school_s_pupil_neither_sees_nor_signs_for_them(
    client, demo_school
):
    elsewhere = factories.other_school()["pupil"]
    elsewhere.display_name = "Zed Elsewhere"
    parent = db.session.scalar(sa.select(User).where(User.username == "parent"))
    parent.children.append(elsewhere)
    only = factories.user(demo_school, Role.PARENT, username="parent.only")
    only.children.append(elsewhere)
    own_ids = {child.id for child in parent.children if child.id != elsewhere.id}
    db.session.commit()
    sign_in(client, "parent", "lantern-demo")
    page = client.get("/aup").get_data(as_text=True)
    assert "Ben C." in page and "Zed Elsewhere" not in page
    assert agree(client).status_code == 303
    home = client.get("/parent/")
    assert home.status_code == 200 and "Zed Elsewhere" not in home.get_data(as_text=True)
    assert client.get(f"/parent/children/{elsewhere.id}").status_code == 404
    signed_for = set(db.session.scalars(sa.select(Acceptance.on_behalf_of_id)))
    assert signed_for == own_ids
    post(client, "/sign-out", token_from="/parent/")
    sign_in(client, "parent.only", factories.PASSWORD)  # linked to no child of their school
    assert "Zed Elsewhere" not in client.get("/aup").get_data(as_text=True)
    assert agree(client).status_code == 303
    assert client.get("/parent/").status_code == 200
    mine = db.session.scalars(sa.select(Acceptance).where(Acceptance.user_id == only.id)).all()
    assert [row.on_behalf_of_id for row in mine] == [None]  # for themselves, as with no child
