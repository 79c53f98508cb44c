"""The admin's erase page: a leaver is erased after a reason and their username typed again."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import AuditEvent, Role, User
from tests import factories
from tests.conftest import csrf_token
from tests.privacy_data import NAME, USERNAME, every_text_holding, leaver_with_records


def _admin(held, login_as):
    """A client signed in as an admin of the fixture's school."""
    factories.user(held["school"], Role.ADMIN, username="admin.erase")
    db.session.commit()
    return login_as("admin.erase", password=factories.PASSWORD)


def _post(client, person_id: int, **data):
    url = f"/admin/people/{person_id}/erase"
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def test_a_leaver_is_erased_after_a_reason_and_their_username(app, login_as, runner):
    held = leaver_with_records()
    client = _admin(held, login_as)
    pupil_id = held["pupil"].id
    held_page = client.get(f"/admin/people/{pupil_id}/subject-access").get_data(as_text=True)
    assert f"/admin/people/{pupil_id}/erase" in held_page  # reached from Data held
    page = client.get(f"/admin/people/{pupil_id}/erase").get_data(as_text=True)
    assert "Erase Amara Okafor" in page and "It cannot be undone." in page

    wrong = _post(client, pupil_id, reason="request", confirm="amara")
    assert wrong.status_code == 400
    text = wrong.get_data(as_text=True)
    assert "That is not their username." in text and 'value="amara"' in text  # kept
    assert re.search(r'<input checked[^>]*value="request"', text)  # the reason chosen is kept
    assert db.session.get(User, pupil_id).username == USERNAME
    missing = _post(client, pupil_id, confirm=USERNAME)
    assert missing.status_code == 400 and "Choose why." in missing.get_data(as_text=True)

    done = _post(client, pupil_id, reason="not_needed", confirm=" Amara.Okafor ")
    assert done.status_code == 303 and done.headers["Location"] == "/admin/"
    home = client.get("/admin/").get_data(as_text=True)
    assert f"Erased. The account is now erased-{pupil_id}" in home
    db.session.expire_all()
    assert every_text_holding(NAME, USERNAME) == []
    logged = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event == "person_erased"))
    assert json.loads(logged.detail) == {"reason": "not_needed"}
    assert logged.actor_id == db.session.scalar(
        sa.select(User.id).where(User.username == "admin.erase")
    )
    assert runner.invoke(args=["aup", "verify"]).exit_code == 0
    after = client.get(f"/admin/people/{pupil_id}/erase").get_data(as_text=True)
    assert "There is nothing more to erase." in after and "Erase for good" not in after


def test_someone_still_active_is_refused_and_told_to_mark_them_as_left(app, login_as):
    held = leaver_with_records()
    client = _admin(held, login_as)
    parent_id = held["parent"].id
    page = client.get(f"/admin/people/{parent_id}/erase").get_data(as_text=True)
    assert "still uses Lantern, so they cannot be erased" in page and "Erase for good" not in page
    held_page = client.get(f"/admin/people/{parent_id}/subject-access").get_data(as_text=True)
    assert f"/admin/people/{parent_id}/erase" not in held_page
    refused = _post(client, parent_id, reason="request", confirm="grace.okafor")
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(User, parent_id).username == "grace.okafor"


def test_another_schools_leaver_is_not_found(app, login_as):
    held = leaver_with_records()
    other = factories.school("Elsewhere")
    factories.user(other, Role.ADMIN, username="admin.elsewhere")
    db.session.commit()
    client = login_as("admin.elsewhere", password=factories.PASSWORD)
    pupil_id = held["pupil"].id
    assert client.get(f"/admin/people/{pupil_id}/erase").status_code == 404
    token = csrf_token(client, "/admin/")
    data = {"csrf_token": token, "reason": "request", "confirm": USERNAME}
    assert client.post(f"/admin/people/{pupil_id}/erase", data=data).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, pupil_id).username == USERNAME


def test_only_an_admin_reaches_the_page(app, login_as):
    held = leaver_with_records()
    factories.user(held["school"], Role.COORDINATOR, username="coord.erase")
    db.session.commit()
    client = login_as("coord.erase", password=factories.PASSWORD)
    assert client.get(f"/admin/people/{held['pupil'].id}/erase").status_code == 403


@settings(
    max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(
    reason=st.one_of(st.sampled_from(["request", "not_needed", "", " ", "retention"]), st.text()),
    confirm=st.one_of(st.sampled_from(["", " ", "amara", "\x00", "a" * 5000]), st.text()),
)
def test_odd_input_is_refused_and_erases_nothing(app, login_as, reason, confirm):
    held = _fixture_once(app, login_as)
    response = _post(held["client"], held["pupil_id"], reason=reason, confirm=confirm)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, held["pupil_id"]).username == USERNAME


def _fixture_once(app, login_as) -> dict:
    """The leaver fixture and an admin client, made once per test (hypothesis reruns the body)."""
    made = app.extensions.setdefault("erase_fuzz", {})
    if not made:
        held = leaver_with_records()
        made |= {"client": _admin(held, login_as), "pupil_id": held["pupil"].id}
    return made
