"""The teacher's class page lists the pupils still to accept their AUP, so they can be reminded."""

import sqlalchemy as sa

from app.extensions import db
from app.models import SchoolClass
from tests.conftest import post


def _class_4b() -> int:
    return db.session.scalar(sa.select(SchoolClass.id).where(SchoolClass.name == "4B"))


def test_class_page_lists_pupils_still_to_accept_until_they_do(client, login_as, demo_school):
    class_id = _class_4b()
    login_as("teacher")
    page = client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert "AUP still to accept" in page
    section = page.split('id="aup-title"')[1].split("</section>")[0]
    assert "Ben C." in section and "Aisha B." in section

    post(client, "/sign-out")
    login_as("pupil.y4")  # Ben C. accepts at sign-in
    post(client, "/sign-out")
    login_as("teacher", accept=False)  # staff accept once per school year: already done
    page = client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    section = page.split('id="aup-title"')[1].split("</section>")[0]
    assert "Ben C." not in section and "Aisha B." in section


def test_staff_navigation_reaches_workshops_and_consent(client, login_as, demo_school):
    login_as("teacher")
    assert 'href="/workshops/"' in client.get("/teacher/").get_data(as_text=True)
    post(client, "/sign-out")
    login_as("coordinator")
    page = client.get("/coordinator/").get_data(as_text=True)
    assert 'href="/coordinator/consent"' in page and 'href="/workshops/sessions"' in page
