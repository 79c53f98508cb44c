"""Staff MFA: coordinators and admins set up an authenticator app, then need its code to sign in."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pyotp
import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import MfaRecoveryCode, User
from app.services import mfa
from tests.conftest import agree, csrf_token, post, sign_in

SETUP = "/account/authenticator"
CODE = "/sign-in/code"
NOW = 1_800_000_015.0  # the middle of a 30-second step, so drift of one step either way is clear


@pytest.fixture
def clock(app, monkeypatch):
    """MFA required (as in production), and the TOTP clock under the test's control."""
    app.config["LANTERN_MFA_REQUIRED"] = True
    now = SimpleNamespace(value=NOW)
    monkeypatch.setattr(mfa, "time", SimpleNamespace(time=lambda: now.value))
    return now


def totp(secret: str, steps: int = 0) -> str:
    """The code an authenticator app shows at NOW, or that many 30-second steps away."""
    return pyotp.TOTP(secret).at(NOW + 30 * steps)


def enrol(client, username: str, steps: int = -1) -> tuple[str, list[str]]:
    """Sign in and set up the app; returns the secret shown and the recovery codes."""
    assert sign_in(client, username, "lantern-demo").status_code == 303
    page = client.get(SETUP).get_data(as_text=True)
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    shown = client.post(
        SETUP, data={"csrf_token": csrf_token(client, SETUP), "code": totp(secret, steps)}
    )
    assert shown.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", shown.get_data(as_text=True))
    kept = client.post("/account/authenticator/kept", data={"csrf_token": csrf_token(client, "/")})
    assert kept.status_code == 303
    return secret, codes


def send_code(client, code: str):
    """Type a code on the sign-in code page."""
    return client.post(CODE, data={"csrf_token": csrf_token(client, CODE), "code": code})


def test_a_coordinator_sets_up_the_app_before_anything_else(app, client, demo_school, clock):
    assert sign_in(client, "coordinator", "lantern-demo").status_code == 303
    for url in ("/", "/coordinator/", "/coordinator/settings", "/aup", "/account/password", CODE):
        response = client.get(url)
        assert response.status_code == 303, url
        assert response.headers["Location"] == SETUP, url
    htmx = client.get("/coordinator/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == SETUP
    page = client.get(SETUP).get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert len(secret) == 32
    user = db.session.scalar(sa.select(User).where(User.username == "coordinator"))
    assert secret not in (user.mfa_secret or "")  # stored encrypted, not as typed
    wrong = client.post(SETUP, data={"csrf_token": csrf_token(client, SETUP), "code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.get_data(as_text=True)
    assert client.get("/coordinator/").headers["Location"] == SETUP
    shown = client.post(SETUP, data={"csrf_token": csrf_token(client, SETUP), "code": totp(secret)})
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", shown.get_data(as_text=True))
    assert len(set(codes)) == 10
    hashes = db.session.scalars(sa.select(MfaRecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and all(h.startswith("scrypt:") for h in hashes)
    assert not set(codes) & set(hashes)
    kept = client.post("/account/authenticator/kept", data={"csrf_token": csrf_token(client, "/")})
    assert kept.status_code == 303
    assert client.get("/coordinator/").headers["Location"].endswith("/aup")  # the AUP comes next
    assert agree(client).status_code == 303
    assert client.get("/coordinator/").status_code == 200
    assert client.get(SETUP).headers["Location"] == CODE  # set up once: no second secret


def test_signing_in_again_needs_a_fresh_code(app, client, demo_school, clock):
    secret, _codes = enrol(client, "coordinator")  # used the code of the step before NOW
    other = app.test_client()
    assert sign_in(other, "coordinator", "lantern-demo").status_code == 303
    assert other.get("/coordinator/").headers["Location"] == CODE
    page = other.get(CODE).get_data(as_text=True)
    assert "Type the code from your authenticator app" in page
    reused = send_code(other, totp(secret, -1))
    assert reused.status_code == 401
    assert "or was used already" in reused.get_data(as_text=True)
    assert send_code(other, totp(secret, -2)).status_code == 401  # too old, beyond the drift
    assert send_code(other, totp(secret, 2)).status_code == 401  # too far ahead
    assert send_code(other, totp(secret)).status_code == 303
    assert agree(other).status_code == 303
    assert other.get("/coordinator/").status_code == 200
    again = app.test_client()
    assert sign_in(again, "coordinator", "lantern-demo").status_code == 303
    assert send_code(again, totp(secret)).status_code == 401  # used a moment ago, same step
    assert send_code(again, totp(secret, 1)).status_code == 303  # the next step (a fast clock)


def test_wrong_codes_are_rate_limited_like_passwords(app, client, demo_school, clock):
    secret, _codes = enrol(client, "coordinator")
    other = app.test_client()
    assert sign_in(other, "coordinator", "lantern-demo").status_code == 303
    for guess in ("111111", "222222", "333333", "444444", "555555"):
        assert send_code(other, guess).status_code == 401
    limited = send_code(other, totp(secret))
    assert limited.status_code == 429
    assert "Please wait 1 minute, then try again" in limited.get_data(as_text=True)


def test_a_recovery_code_works_once(app, client, demo_school, clock):
    _secret, codes = enrol(client, "admin")
    lost_phone = app.test_client()
    assert sign_in(lost_phone, "admin", "lantern-demo").status_code == 303
    used = send_code(lost_phone, codes[3].upper().replace("-", " "))
    assert used.status_code == 303
    page = lost_phone.get(used.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "You used a recovery code. Recovery codes left: 9." in page
    again = app.test_client()
    assert sign_in(again, "admin", "lantern-demo").status_code == 303
    assert send_code(again, codes[3]).status_code == 401
    assert send_code(again, codes[4]).status_code == 303


def test_an_admin_reset_signs_out_and_asks_for_a_new_app(app, client, demo_school, clock):
    enrol(client, "coordinator")
    admin = app.test_client()
    enrol(admin, "admin")
    assert agree(admin).status_code == 303
    people = admin.get("/admin/").get_data(as_text=True)
    coordinator = db.session.scalar(sa.select(User).where(User.username == "coordinator"))
    me = db.session.scalar(sa.select(User).where(User.username == "admin"))
    assert f"/admin/users/{coordinator.id}/reset-authenticator" in people
    assert f"/admin/users/{me.id}/reset-authenticator" not in people
    own = post(admin, f"/admin/users/{me.id}/reset-authenticator", token_from="/admin/")
    assert own.status_code == 403
    done = post(admin, f"/admin/users/{coordinator.id}/reset-authenticator", token_from="/admin/")
    assert done.status_code == 303
    page = admin.get(done.headers["Location"]).get_data(as_text=True)
    assert "authenticator app was reset and they were signed out" in page
    assert "/sign-in" in client.get("/coordinator/").headers["Location"]  # signed out
    assert sign_in(client, "coordinator", "lantern-demo").status_code == 303
    assert client.get("/coordinator/").headers["Location"] == SETUP
    assert db.session.scalar(sa.select(sa.func.count(MfaRecoveryCode.id))) == 10  # admin's only


def test_a_teacher_is_asked_only_when_the_school_says(app, client, demo_school, clock):
    assert sign_in(client, "teacher", "lantern-demo").status_code == 303
    assert agree(client).status_code == 303
    assert client.get("/teacher/").status_code == 200
    demo_school.mfa_for_teachers = True
    db.session.commit()
    later = app.test_client()
    assert sign_in(later, "teacher", "lantern-demo").status_code == 303
    assert later.get("/teacher/").headers["Location"] == SETUP


def test_the_coordinator_chooses_mfa_for_teachers(login_as, demo_school):
    client = login_as("coordinator")  # LANTERN_MFA_REQUIRED is off in tests, as for the demo
    page = client.get("/coordinator/settings").get_data(as_text=True)
    assert "Teachers sign in with an authenticator app too" in page
    assert 'name="required" type="checkbox" value="y">' in page  # off by default
    saved = post(client, "/coordinator/settings/teacher-mfa", {"required": "y"}, "/coordinator/")
    assert saved.status_code == 303
    assert demo_school.mfa_for_teachers is True
    post(client, "/coordinator/settings/teacher-mfa", {}, "/coordinator/")
    db.session.refresh(demo_school)
    assert demo_school.mfa_for_teachers is False


def test_without_the_requirement_nobody_new_is_asked(client, demo_school):
    assert sign_in(client, "coordinator", "lantern-demo").status_code == 303
    assert client.get("/coordinator/").headers["Location"].endswith("/aup")


def test_the_command_line_resets_a_sole_admin(app, client, runner, demo_school, clock):
    enrol(client, "admin")
    result = runner.invoke(args=["user", "mfa-reset", "admin"])
    assert result.exit_code == 0, result.output
    assert "set up a new app at their next sign-in" in result.output
    assert sign_in(client, "admin", "lantern-demo").status_code == 303
    assert client.get("/admin/").headers["Location"] == SETUP
    assert runner.invoke(args=["user", "mfa-reset", "nobody"]).exit_code != 0


def test_after_a_new_secret_key_only_recovery_codes_work(app, client, demo_school, clock):
    secret, codes = enrol(client, "coordinator")
    app.config["SECRET_KEY"] = "a-new-secret-key"
    other = app.test_client()
    assert sign_in(other, "coordinator", "lantern-demo").status_code == 303
    assert send_code(other, totp(secret)).status_code == 401  # the stored key cannot be read
    assert send_code(other, codes[0]).status_code == 303


def test_a_code_raced_by_two_requests_is_accepted_once(app, client, demo_school, clock):
    secret, codes = enrol(client, "coordinator")
    user = db.session.scalar(sa.select(User).where(User.username == "coordinator"))
    assert mfa.verify(user, totp(secret)) == "totp"
    set_committed_value(user, "mfa_last_step", None)  # read by a request before the first wrote
    assert mfa.verify(user, totp(secret)) is None
    assert mfa.verify(user, codes[0]) == "recovery"
    assert mfa.verify(user, codes[0]) is None


def _mfa_events() -> list[tuple[str, int | None, int | None]]:
    """(event, actor, subject) of every MFA event in the security log, oldest first."""
    from app.models import AuditEvent

    rows = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event.like("mfa_%")).order_by(AuditEvent.id)
    )
    return [(row.event, row.actor_id, row.subject_id) for row in rows]


def test_setting_up_and_resetting_an_app_are_in_the_security_log(
    app, client, runner, demo_school, clock
):
    enrol(client, "coordinator")
    coordinator = db.session.scalar(sa.select(User).where(User.username == "coordinator"))
    admin = app.test_client()
    enrol(admin, "admin")
    assert agree(admin).status_code == 303
    me = db.session.scalar(sa.select(User).where(User.username == "admin"))
    post(admin, f"/admin/users/{coordinator.id}/reset-authenticator", token_from="/admin/")
    assert runner.invoke(args=["user", "mfa-reset", "admin"]).exit_code == 0
    assert _mfa_events() == [
        ("mfa_set_up", coordinator.id, coordinator.id),
        ("mfa_set_up", me.id, me.id),
        ("mfa_reset", me.id, coordinator.id),
        ("mfa_reset", None, me.id),
    ]
