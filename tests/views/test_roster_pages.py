"""The admin's roster pages: template, upload, preview, apply; another school's admin sees none."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Role, RosterUpload, SchoolClass, User
from tests import factories
from tests.conftest import csrf_token, post
from tests.roster_files import FIXTURES


def upload(client, content: bytes, filename: str = "lantern-roster.csv"):
    """Post a roster file from the roster page."""
    token = csrf_token(client, "/admin/roster")
    return client.post(
        "/admin/roster",
        data={"csrf_token": token, "roster": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def roster_csv() -> bytes:
    """Lantern's CSV fixture, with Excel's byte-order mark."""
    return (FIXTURES / "lantern-roster.csv").read_bytes()


def test_the_template_downloads_with_its_header_and_an_example_of_each_row(
    demo_school, login_as, client
):
    login_as("admin")
    response = client.get("/admin/roster/template.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "type,id,first_name,last_name,year,classes,children,username"
    assert [line.split(",")[0] for line in lines[1:]] == ["class", "pupil", "staff", "parent"]


def test_the_admin_uploads_reads_the_preview_and_applies(demo_school, login_as, client):
    login_as("admin")
    response = upload(client, roster_csv())
    assert response.status_code == 303
    preview_url = response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(RosterUpload.id))) == 1
    page = client.get(preview_url).get_data(as_text=True)
    assert "nothing has changed yet" in page
    assert "10 (pupils: 5, staff: 3, parents: 2)" in page
    assert "Amy Jones (Pupil)" in page
    assert db.session.scalar(sa.select(User).where(User.display_name == "Amy Jones")) is None
    response = post(client, f"{preview_url}/apply", token_from=preview_url)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # Oak's roster replaces the demo's: its 25 people leave, but never the admin importing it
    assert "The roster was imported: 10 added, 0 updated, 25 left." in page
    admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
    pupil = db.session.scalar(sa.select(User).where(User.username == "pupil.y4"))
    assert admin.active and not pupil.active and pupil.left_at is not None
    amy = db.session.scalar(sa.select(User).where(User.display_name == "Amy Jones"))
    assert amy.school_id == demo_school.id and amy.password_hash is None
    four_b = db.session.scalar(
        sa.select(SchoolClass).where(
            SchoolClass.school_id == demo_school.id, SchoolClass.name == "4B"
        )
    )
    assert sorted(p.display_name for p in four_b.pupils) == ["Amy Jones", "Ben Carter"]
    assert db.session.scalar(sa.select(sa.func.count(RosterUpload.id))) == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event == "roster_imported"))
    assert event.school_id == demo_school.id and '"added":10' in event.detail
    assert client.get(preview_url).status_code == 404  # applied once, gone


def test_a_roster_with_problems_is_listed_and_nothing_is_kept(demo_school, login_as, client):
    login_as("admin")
    bad = roster_csv().replace(b"A123456789002,Ben,Carter,4", b"A123456789002,Ben,Carter,14")
    response = upload(client, bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1 problem in lantern-roster.csv: nothing was imported" in page
    assert re.search(r"<td[^>]*>7</td><td[^>]*>year</td><td[^>]*>unknown year group", page)
    assert db.session.scalar(sa.select(sa.func.count(RosterUpload.id))) == 0
    assert db.session.scalar(sa.select(User).where(User.display_name == "Amy Jones")) is None


def test_a_file_over_the_limit_is_refused_with_the_limit_named(app, demo_school, login_as, client):
    app.config["LANTERN_ROSTER_UPLOAD_MB"] = 1
    login_as("admin")
    response = upload(client, b"x" * (1024 * 1024 + 10))
    assert response.status_code == 413
    assert "larger than 1 MB" in response.get_data(as_text=True)


def test_a_file_up_to_the_limit_is_taken_though_other_requests_stay_small(
    app, demo_school, login_as, client
):
    login_as("admin")
    padding = b"\r\n" * (700 * 1024)  # 1.4 MB: over the 1 MB every other form has
    assert upload(client, roster_csv() + padding).status_code == 303


def test_something_that_is_not_a_roster_is_named(demo_school, login_as, client):
    login_as("admin")
    response = upload(client, b"PK\x03\x04broken", "export.zip")
    assert response.status_code == 422
    assert "neither a CSV file nor a zip" in response.get_data(as_text=True)
    response = upload(client, b"name,class\r\nAmy,4B\r\n", "pupils.csv")
    assert "not a roster Lantern knows" in response.get_data(as_text=True)


def test_an_upload_can_be_discarded_and_expires(demo_school, login_as, client):
    login_as("admin")
    first = upload(client, roster_csv()).headers["Location"]
    assert post(client, f"{first}/cancel", token_from=first).status_code == 303
    assert client.get(first).status_code == 404
    second = upload(client, roster_csv()).headers["Location"]
    row = db.session.scalar(sa.select(RosterUpload))
    row.expires_at -= timedelta(hours=3)
    db.session.commit()
    assert client.get(second).status_code == 404
    assert post(client, f"{second}/apply", token_from="/admin/roster").status_code == 404


def test_another_schools_admin_never_sees_this_schools_upload(demo_school, login_as, client, app):
    login_as("admin")
    preview = upload(client, roster_csv()).headers["Location"]
    there = factories.school("Another School", urn="100001")
    factories.user(there, Role.ADMIN, username="other.admin", password="other-password-1")
    db.session.commit()
    other = app.test_client()
    from tests.conftest import agree, sign_in

    assert sign_in(other, "other.admin", "other-password-1").status_code == 303
    agree(other)
    assert other.get(preview).status_code == 404
    for action in ("apply", "cancel"):
        assert post(other, f"{preview}/{action}", token_from="/admin/roster").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(RosterUpload.id))) == 1
    assert "Amy Jones" not in other.get("/admin/roster").get_data(as_text=True)


def test_only_admins_reach_the_roster_pages(demo_school, login_as, client):
    login_as("coordinator")
    assert client.get("/admin/roster").status_code == 403
    assert client.get("/admin/roster/template.csv").status_code == 403


def test_a_big_body_from_someone_else_gets_the_usual_refusal(app, demo_school, client, login_as):
    app.config["LANTERN_ROSTER_UPLOAD_MB"] = 1
    big = {"roster": (io.BytesIO(b"x" * (1024 * 1024 + 10)), "r.csv")}
    response = client.post("/admin/roster", data=big, content_type="multipart/form-data")
    assert response.status_code == 413  # signed out: the plain refusal, never the roster page
    assert "Import the roster" not in response.get_data(as_text=True)
    login_as("admin")
    response = client.post(
        "/admin/users/1/end-sessions", data={"x": "y" * (1024 * 1024 + 10)}
    )  # every other admin form keeps the 1 MB limit
    assert response.status_code == 413
    assert "too much to send at once" in response.get_data(as_text=True)
