"""The coordinator's photo-consent lists: each class, the office's list, access and cost."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ConsentDecision, ConsentPart, PhotoConsent, Role, SchoolClass, User
from tests import factories


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _class(name: str) -> SchoolClass:
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _decide(pupil: User, part: ConsentPart, decision: ConsentDecision) -> None:
    db.session.add(
        PhotoConsent(school_id=pupil.school_id, pupil_id=pupil.id, part=part, decision=decision)
    )
    db.session.commit()


def _row(page: str, name: str) -> str:
    """The text of the table row for one pupil, tags removed."""
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(name)}</th>(.*?)</tr>", page, re.S)
    assert match, f"no row for {name}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@contextmanager
def _selects():
    """Collect the SELECT statements run inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_each_class_shows_every_pupils_latest_decision(client, login_as, demo_school):
    ben, mate = _user("pupil.y4"), _user("demo.y4.4")  # the demo leaves demo.y4.4 unanswered
    _decide(ben, ConsentPart.IN_SCHOOL, ConsentDecision.GIVEN)
    _decide(ben, ConsentPart.IN_SCHOOL, ConsentDecision.WITHDRAWN)
    _decide(ben, ConsentPart.WEBSITE, ConsentDecision.GIVEN)
    _decide(ben, ConsentPart.SOCIAL_MEDIA, ConsentDecision.REFUSED)
    login_as("coordinator")
    page = client.get("/coordinator/consent").get_data(as_text=True)
    assert "Class 4B" in page and "Class 8C" in page and "Class RB" in page
    assert _row(page, "Ben C.").startswith("Withdrawn Given Refused Not answered ")
    assert _row(page, mate.display_name) == "Not answered " * 4 + "–"
    one = client.get(f"/coordinator/consent/classes/{_class('4B').id}").get_data(as_text=True)
    assert "Photo consent: class 4B" in one and "Ben C." in one and "Chloe C." not in one


def test_the_office_list_names_pupils_without_consent_and_why(client, login_as, demo_school):
    ben, chloe = _user("pupil.y4"), _user("pupil.y8")
    for part in ConsentPart:
        _decide(ben, part, ConsentDecision.GIVEN)
    _decide(chloe, ConsentPart.IN_SCHOOL, ConsentDecision.GIVEN)
    _decide(chloe, ConsentPart.WEBSITE, ConsentDecision.GIVEN)
    _decide(chloe, ConsentPart.SOCIAL_MEDIA, ConsentDecision.GIVEN)
    _decide(chloe, ConsentPart.PRESS, ConsentDecision.REFUSED)
    login_as("coordinator")
    page = client.get("/coordinator/consent/without").get_data(as_text=True)
    assert "Ben C." not in page
    assert _row(page, "Chloe C.") == "Given Given Given No consent: Refused"
    assert _row(page, "Amara O.") == " ".join(["No consent: Not answered"] * 4)
    assert page.index("Class 1A") < page.index("Class 8C")


def test_the_old_publications_answer_shows_labelled_on_every_list(client, login_as, demo_school):
    ben, chloe = _user("pupil.y4"), _user("pupil.y8")
    _decide(ben, ConsentPart.IN_SCHOOL, ConsentDecision.GIVEN)
    _decide(ben, ConsentPart.PUBLICATIONS, ConsentDecision.GIVEN)
    _decide(chloe, ConsentPart.IN_SCHOOL, ConsentDecision.GIVEN)
    _decide(chloe, ConsentPart.PUBLICATIONS, ConsentDecision.REFUSED)
    _decide(chloe, ConsentPart.PRESS, ConsentDecision.GIVEN)
    login_as("coordinator")
    page = client.get("/coordinator/consent").get_data(as_text=True)
    earlier = "from the earlier answer for all publications"
    assert _row(page, "Ben C.").startswith(f"Given Given {earlier} Given {earlier} Given {earlier}")
    office = client.get("/coordinator/consent/without").get_data(as_text=True)
    assert "Ben C." not in office  # the old yes still counts: it covered every public use
    assert _row(office, "Chloe C.") == (
        f"Given No consent: Refused {earlier} No consent: Refused {earlier} Given"
    )


def _csv(client, path: str = "/coordinator/consent.csv") -> list[list[str]]:
    import csv
    import io

    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_has_a_column_for_each_use(client, login_as, demo_school):
    ben, efua = _user("pupil.y4"), _user("pupil.y12")
    _decide(ben, ConsentPart.IN_SCHOOL, ConsentDecision.GIVEN)
    _decide(ben, ConsentPart.PUBLICATIONS, ConsentDecision.REFUSED)
    _decide(ben, ConsentPart.WEBSITE, ConsentDecision.GIVEN)
    _decide(efua, ConsentPart.PRESS, ConsentDecision.WITHDRAWN)
    login_as("coordinator")
    rows = _csv(client)
    header = rows[4]
    assert header[:7] == ["Pupil", "Class", "Year group", "In school", "Website", "Social media",
                          "Press"]  # fmt: skip
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[5:]}
    assert by_name["Ben C."] | {"Last change": ""} == {
        "Pupil": "Ben C.", "Class": "4B", "Year group": "4", "In school": "Given",
        "Website": "Given", "Social media": "Refused", "Press": "Refused",
        "Taken from the earlier answer for all publications": "Social media; Press",
        "Decides own consent (sixth form)": "no", "Consent for every use": "no",
        "Last change": "",
    }  # fmt: skip
    assert by_name["Efua M."]["Press"] == "Withdrawn"
    assert by_name["Efua M."]["Decides own consent (sixth form)"] == "yes"
    assert by_name["Amara O."]["Website"] == "Not answered"
    assert rows[1] == ["School", demo_school.name]


def test_pupils_in_no_class_are_not_left_off_the_office_list(client, login_as, demo_school):
    factories.user(demo_school, Role.PUPIL, username="new.pupil", display_name="New P.", year=5)
    db.session.commit()
    login_as("coordinator")
    page = client.get("/coordinator/consent/without").get_data(as_text=True)
    assert "Not in a class" in page and "New P." in page


@pytest.mark.parametrize("username", ["teacher", "pupil.y4", "parent", "admin"])
def test_only_coordinators_see_consent_lists(client, login_as, demo_school, username):
    login_as(username)
    for path in ("/coordinator/consent", "/coordinator/consent/without",
                 "/coordinator/consent.csv",
                 f"/coordinator/consent/classes/{_class('4B').id}"):  # fmt: skip
        assert client.get(path).status_code == 403, path


def test_another_schools_class_is_not_found(client, login_as, demo_school):
    other = factories.school()
    far = factories.school_class(other, "Far class 4Z", 4)
    far_pupil = factories.user(other, Role.PUPIL, username="far.pupil", display_name="Far P.")
    far_pupil.classes.append(far)
    db.session.commit()
    login_as("coordinator")
    assert client.get(f"/coordinator/consent/classes/{far.id}").status_code == 404
    assert client.get("/coordinator/consent/classes/999999").status_code == 404
    for path in ("/coordinator/consent", "/coordinator/consent/without",
                 "/coordinator/consent.csv"):  # fmt: skip
        page = client.get(path).get_data(as_text=True)
        assert "Far P." not in page and "Far class 4Z" not in page  # not a token fragment


def test_the_lists_cost_the_same_queries_however_many_pupils(client, login_as, demo_school):
    login_as("coordinator")
    costs = []
    for extra in (0, 25):
        cls = factories.school_class(demo_school, f"X{extra}", 6)
        for _n in range(extra):
            pupil = factories.user(demo_school, Role.PUPIL, year=6, password=None)
            pupil.classes.append(cls)
            _decide(pupil, ConsentPart.IN_SCHOOL, ConsentDecision.GIVEN)
        db.session.commit()
        with _selects() as seen:
            for path in ("/coordinator/consent", "/coordinator/consent/without"):
                assert client.get(path).status_code == 200
        costs.append(len(seen))
    assert costs[0] == costs[1], costs
    assert costs[0] <= 2 * 6


def test_a_trust_wide_coordinator_may_pick_another_school_of_the_trust(client, demo_school):
    from app.models import Trust
    from tests.conftest import agree, sign_in

    trust = Trust(name="Test Trust")
    db.session.add(trust)
    demo_school.trust = trust
    sister = factories.school("Sister Primary", trust=trust)
    sister_class = factories.school_class(sister, "S4", 4)
    sister_pupil = factories.user(sister, Role.PUPIL, display_name="Sis P.")
    sister_pupil.classes.append(sister_class)
    factories.user(demo_school, Role.COORDINATOR, username="lead", trust_wide=True)
    db.session.commit()
    sign_in(client, "lead", factories.PASSWORD)
    agree(client)
    page = client.get(f"/coordinator/consent?school={sister.id}").get_data(as_text=True)
    assert "Photo consent at Sister Primary" in page and "Sis P." in page and "Ben C." not in page
    office = client.get(f"/coordinator/consent/without?school={sister.id}").get_data(as_text=True)
    assert "Sis P." in office
    assert client.get(f"/coordinator/consent/classes/{sister_class.id}").status_code == 200


def test_a_school_coordinator_cannot_pick_another_school(client, login_as, demo_school):
    other = factories.school()
    db.session.commit()
    login_as("coordinator")
    for path in ("/coordinator/consent", "/coordinator/consent/without",
                 "/coordinator/consent.csv"):  # fmt: skip
        assert client.get(f"{path}?school={other.id}").status_code == 404
        assert client.get(f"{path}?school=abc").status_code == 404
