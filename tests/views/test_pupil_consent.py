"""A sixth former's own photo consent: they decide each use, their parent only sees it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ConsentDecision, ConsentPart, PhotoConsent, Role, User
from tests import factories
from tests.conftest import post

PATH = "/pupil/photo-consent"


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _rows(pupil: User) -> list[tuple[str, str, int | None]]:
    query = sa.select(PhotoConsent).where(PhotoConsent.pupil_id == pupil.id).order_by("id")
    return [(r.part.value, r.decision.value, r.decided_by_id) for r in db.session.scalars(query)]


def test_a_sixth_former_decides_each_use_and_sees_the_history(client, login_as, demo_school):
    efua = _user("pupil.y12")
    login_as("pupil.y12")
    home = client.get("/pupil/").get_data(as_text=True)
    assert "See or change your photo consent" in home
    form = client.get(PATH).get_data(as_text=True)
    assert "Your photo consent" in form and "Photos and videos on the school website" in form
    assert "Your answer now: not answered yet." in form
    response = post(client, PATH, {"in_school": "given", "website": "given",
                                   "social_media": "refused", "press": "refused"},
                    token_from=PATH)  # fmt: skip
    assert response.status_code == 303
    assert _rows(efua) == [("in_school", "given", efua.id), ("website", "given", efua.id),
                           ("social_media", "refused", efua.id),
                           ("press", "refused", efua.id)]  # fmt: skip
    page = client.get(PATH).get_data(as_text=True)
    assert "Your photo consent was saved on" in page
    assert page.count("by you") == 4
    post(client, PATH, {"website": "withdrawn"}, token_from=PATH)
    assert _rows(efua)[-1] == ("website", "withdrawn", efua.id)


def test_a_parents_earlier_answers_stay_until_the_sixth_former_changes_them(
    client, login_as, demo_school
):
    efua, parent = _user("pupil.y12"), _user("parent")
    parent.children.append(efua)
    for part in (ConsentPart.IN_SCHOOL, ConsentPart.PUBLICATIONS):
        row = PhotoConsent(school_id=efua.school_id, pupil_id=efua.id, part=part,
                           decision=ConsentDecision.GIVEN, decided_by_id=parent.id)  # fmt: skip
        db.session.add(row)
    db.session.commit()
    login_as("pupil.y12")
    form = client.get(PATH).get_data(as_text=True)
    assert "Decided by Jo Carter." in form
    assert form.count("Given, from your earlier answer for all publications") == 3
    post(client, PATH, {"press": "withdrawn"}, token_from=PATH)
    assert _rows(efua)[-1] == ("press", "withdrawn", efua.id)
    post(client, "/sign-out", token_from=PATH)
    login_as("parent")
    page = client.get(f"/parent/children/{efua.id}").get_data(as_text=True)
    assert "by Efua M." in page and "by you" in page
    assert "Change photo consent for Efua M." not in page


@pytest.mark.parametrize("username", ["pupil.y1", "pupil.y4", "pupil.y8"])
def test_a_pupil_under_year_12_cannot_decide(client, login_as, demo_school, username):
    pupil = _user(username)
    login_as(username)
    assert "See or change your photo consent" not in client.get("/pupil/").get_data(as_text=True)
    assert client.get(PATH).status_code == 403
    assert post(client, PATH, {"in_school": "given"}, token_from="/pupil/").status_code == 403
    assert _rows(pupil) == []


@pytest.mark.parametrize("username", ["parent", "teacher", "coordinator", "admin"])
def test_only_pupils_reach_the_page(client, login_as, demo_school, username):
    login_as(username)
    assert client.get(PATH).status_code == 403


def test_a_sixth_former_of_another_school_sees_only_their_own(client, demo_school):
    from tests.conftest import agree, sign_in

    other = factories.school()
    far = factories.user(other, Role.PUPIL, username="far.y13", year=13)
    db.session.commit()
    sign_in(client, "far.y13", factories.PASSWORD)
    agree(client)
    post(client, PATH, {"press": "given"}, token_from=PATH)
    assert _rows(far) == [("press", "given", far.id)]
    assert _rows(_user("pupil.y12")) == []
    assert "Efua M." not in client.get(PATH).get_data(as_text=True)
