"""School settings: AUP frequency, the school year's start, and publishing a school's own AUP."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from app.demo import school as demo
from app.extensions import db
from app.models import AupSetting, Frequency, School
from app.services import school_calendar
from app.services.acceptance import verify_chain
from tests.conftest import agree, csrf_token, post, sign_in

SETTINGS = "/coordinator/settings"


def _school() -> School:
    """The demo school, fresh from the database."""
    db.session.expire_all()
    return db.session.scalar(sa.select(School).where(School.name == demo.SCHOOL_NAME))


def test_frequencies_are_saved_per_audience(full_demo, login_as):
    client = login_as("coordinator")
    data = {f"freq_{a}": "per_version" for a in ("ks1", "ks2", "secondary", "sixth_form")}
    data |= {"freq_staff": "each_logon", "freq_parent": "per_school_year",
             "freq_visitor": "per_version"}  # fmt: skip
    assert post(client, f"{SETTINGS}/frequency", data, token_from=SETTINGS).status_code == 303
    saved = dict(db.session.execute(sa.select(AupSetting.audience, AupSetting.frequency)).all())
    assert saved["staff"] is Frequency.EACH_LOGON and saved["ks2"] is Frequency.PER_VERSION
    data["freq_ks2"] = "whenever"
    response = post(client, f"{SETTINGS}/frequency", data, token_from=SETTINGS)
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)


def test_year_start_refuses_dates_some_years_lack(full_demo, login_as):
    client = login_as("coordinator")
    for day, month in (("31", "9"), ("29", "2"), ("0", "9"), ("x", "9")):
        response = post(client, f"{SETTINGS}/year-start", {"day": day, "month": month},
                        token_from=SETTINGS)  # fmt: skip
        assert response.status_code == 400, (day, month)
        assert "field__error" in response.get_data(as_text=True)
    assert (_school().year_start_day, _school().year_start_month) == (1, 9)
    post(client, f"{SETTINGS}/year-start", {"day": "3", "month": "8"}, token_from=SETTINGS)
    assert (_school().year_start_day, _school().year_start_month) == (3, 8)


def _publish(client, audience: str, **changes):
    """Post the pre-filled publish form for an audience with some fields changed."""
    path = f"{SETTINGS}/aup/{audience}"
    page = client.get(path).get_data(as_text=True)
    assert "New version of" in page

    def value(name):
        m = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\s*(.*?)</textarea>', page, re.S)
        return m.group(1) if m else re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)

    data = {k: value(k) for k in ("title", "intro", "statements", "closing", "decline_message")}
    data |= {"version": "school-2", "effective": school_calendar.today().isoformat(), **changes}
    data = {k: html.unescape(v) for k, v in data.items()}
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_a_published_version_needs_fresh_acceptance_and_keeps_the_chain_sound(
    full_demo, client, login_as
):
    login_as("coordinator")
    response = _publish(client, "staff", intro="Our own staff agreement, checked by governors.")
    assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    sign_in(client, "teacher", demo.DEMO_PASSWORD)
    page = client.get("/aup").get_data(as_text=True)
    assert "Our own staff agreement, checked by governors." in page
    assert agree(client).status_code == 303
    assert client.get("/teacher/").status_code == 200  # agreed: the gate lets the teacher in
    report = verify_chain(_school().id)
    assert report.broken_at is None and report.count >= 2


def test_publishing_keeps_what_was_typed_when_something_is_wrong(full_demo, login_as):
    client = login_as("coordinator")
    response = _publish(client, "ks2", version="", intro="My careful new words")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "My careful new words" in body
    assert "Give the new version a label" in body
    first = _publish(client, "ks2")
    assert first.status_code == 303
    again = _publish(client, "ks2")
    assert again.status_code == 400 and "already used" in again.get_data(as_text=True)
    past = _publish(client, "ks1", version="k1-new", effective="2000-01-01")
    assert past.status_code == 400 and "today or later" in past.get_data(as_text=True)
