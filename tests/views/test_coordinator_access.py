"""Only coordinators reach /coordinator pages, and only for schools they may see."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from app.content import aups
from app.extensions import db
from app.models import Acceptance, Method, Role, School, SchoolClass, User, utcnow
from app.services import acceptance, compliance, school_calendar
from tests.conftest import csrf_token, post
from tests.trust_data import generate_trust


def _coordinator_urls(app) -> list[tuple[str, set]]:
    """Every /coordinator URL in the app with sample values for its parts."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/coordinator"):
            continue
        path = re.sub(r"<(?:int|id):\w+>", "1", rule.rule)
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: {"what": "coverage", "audience": "ks2",
                      "key": "PS"}.get(m.group(1), "x"), path)  # fmt: skip
        urls.append((path, rule.methods - {"HEAD", "OPTIONS"}))
    return urls


@pytest.mark.parametrize("username", ["teacher", "pupil.y10", "parent", "admin"])
def test_every_coordinator_url_refuses_other_roles(app, full_demo, login_as, username):
    client = login_as(username)
    urls = _coordinator_urls(app)
    assert len(urls) >= 12
    token = csrf_token(client)  # a valid token, so only the role guard can refuse a POST
    for path, methods in urls:
        for method in methods:
            response = client.open(path, method=method, data={"csrf_token": token})
            assert response.status_code == 403, (path, method, response.status_code)


def test_signed_out_visitors_are_sent_to_sign_in(client, full_demo):
    response = client.get("/coordinator/coverage")
    assert response.status_code in (302, 303) and "/sign-in" in response.headers["Location"]


def test_another_schools_ids_are_404(full_demo, login_as):
    other = School(name="Far Away School")
    db.session.add(other)
    db.session.flush()
    cls = SchoolClass(school_id=other.id, name="F1", year=4)
    db.session.add(cls)
    db.session.commit()
    client = login_as("coordinator")
    for path in (f"/coordinator/coverage?school={other.id}",
                 f"/coordinator/report?school={other.id}",
                 f"/coordinator/compliance/class/{cls.id}", "/coordinator/coverage?school=abc",
                 "/coordinator/trust/coverage", "/coordinator/coverage/4/NOPE",
                 "/coordinator/coverage/14/PS", "/coordinator/export/secrets.csv",
                 "/coordinator/settings/aup/martians"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.get("/coordinator/coverage?by=colour").status_code == 400


def test_the_trust_lead_sees_both_schools_and_the_total(full_demo, login_as):
    hillside = db.session.scalar(sa.select(School).where(School.name == "Hillside Primary School"))
    client = login_as("trust.lead")
    page = client.get(f"/coordinator/coverage?school={hillside.id}").get_data(as_text=True)
    assert "Coverage at Hillside Primary School" in page
    total = client.get("/coordinator/trust/coverage").get_data(as_text=True)
    assert "Coverage across Lantern Learning Trust" in total


def test_the_trust_leads_links_stay_on_the_school_they_chose(full_demo, login_as):
    hillside = db.session.scalar(sa.select(School).where(School.name == "Hillside Primary School"))
    client = login_as("trust.lead")
    keep = f"school={hillside.id}"
    for path in ("/coordinator/coverage", "/coordinator/progression", "/coordinator/compliance",
                 "/coordinator/consent"):  # fmt: skip
        page = client.get(f"{path}?{keep}").get_data(as_text=True)
        links = re.findall(r'href="(/coordinator/[^"]*)"', page)
        assert f'href="/coordinator/progression?{keep}"' in page, path  # the page menu
        assert not [link for link in links if "school=" in link and keep not in link], path
        own = client.get(path).get_data(as_text=True)
        assert "school=" not in "".join(re.findall(r'href="(/coordinator/[^"]*)"', own)), path


def test_a_school_coordinator_cannot_open_the_trust_school(full_demo, client, login_as):
    hillside = db.session.scalar(sa.select(School).where(School.name == "Hillside Primary School"))
    login_as("coordinator")
    assert client.get(f"/coordinator/coverage?school={hillside.id}").status_code == 404


def _statements(client, path: str) -> list[str]:
    """The SQL statements one request runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return statements


def _selects(client, path: str) -> int:
    """How many SELECTs one request runs."""
    statements = _statements(client, path)
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_coverage_runs_the_same_queries_whatever_the_number_of_pupils(full_demo, login_as):
    client = login_as("trust.lead")
    small = (
        _selects(client, "/coordinator/coverage"),
        _selects(client, "/coordinator/trust/coverage"),
    )
    generate_trust_into_demo_trust()
    assert db.session.scalar(sa.select(sa.func.count(User.id))) > 2000
    large = (
        _selects(client, "/coordinator/coverage"),
        _selects(client, "/coordinator/trust/coverage"),
    )
    assert small == large
    assert small[0] <= 10


def _add_logons(school: School, logons: int) -> int:
    """Each active pupil accepts their AUP at each of `logons` past sign-ins, chained as
    accept() would; returns how many acceptances were added."""
    head = db.session.execute(
        sa.select(Acceptance.seq, Acceptance.record_hash)
        .where(Acceptance.school_id == school.id)
        .order_by(Acceptance.seq.desc())
        .limit(1)
    ).first()
    seq, prev = head if head else (0, acceptance.GENESIS)
    pupils = db.session.scalars(
        sa.select(User).where(User.school_id == school.id, User.role == Role.PUPIL)
    ).all()
    start = utcnow() - timedelta(days=logons)
    for n in range(logons):
        for pupil in pupils:
            aup = aups().get(pupil.audience)
            seq += 1
            row = Acceptance(seq=seq, school_id=school.id, user_id=pupil.id,
                             login_session_id=10_000 + seq, audience=aup.audience, aup_id=aup.id,
                             aup_version=aup.version, locale="en", text_hash=aup.text_hash,
                             accepted_at=start + timedelta(days=n), ip_address="127.0.0.1",
                             user_agent="test", prev_hash=prev)  # fmt: skip
            row.record_hash = prev = acceptance.record_hash(acceptance.hashed_fields(row))
            db.session.add(row)
    db.session.commit()
    return logons * len(pupils)


COMPLIANCE_VIEWS = (
    "/coordinator/",
    "/coordinator/compliance",
    "/coordinator/export/compliance.csv",
    "/coordinator/report",
    "/paper-agreements/",
)


def _pupils_accepted(school: School) -> list[bool]:
    """Each pupil's standing with their current AUP, as compliance reports it."""
    found = compliance.report(school, school_calendar.today())
    return [s.accepted for a in compliance.PUPIL_AUDIENCES for s in found.audiences[a].standings]


def test_compliance_views_do_not_grow_with_the_acceptance_history(demo_school, login_as):
    client = login_as("coordinator")
    school_class = db.session.scalar(
        sa.select(SchoolClass).where(SchoolClass.school_id == demo_school.id)
    )
    views = (
        *COMPLIANCE_VIEWS,
        f"/coordinator/compliance/class/{school_class.id}",
        f"/paper-agreements/class/{school_class.id}",
    )
    before = [_statements(client, path) for path in views]
    assert not any(_pupils_accepted(demo_school))
    assert _add_logons(demo_school, 40) > 800  # 21 pupils, 40 sign-ins each
    pupils = db.session.scalars(
        sa.select(User).where(User.school_id == demo_school.id, User.role == Role.PUPIL)
    ).all()
    office = db.session.scalar(sa.select(User).where(User.username == "admin"))
    today = school_calendar.today()
    made = acceptance.record_on_behalf(
        office, aups().get("parent"), list(pupils), Method.PAPER, today, "", today
    )  # and every pupil's parent agreement entered from a paper slip
    db.session.commit()
    assert len(made) == len(pupils)
    after = [_statements(client, path) for path in views]
    assert [len(s) for s in after] == [len(s) for s in before]
    read_history = [s for page in after for s in page if "FROM acceptance" in s]
    # the history is summed up as each acceptance is written; only agreements entered by staff
    # (recorded_by_id set: at most one per pupil and version, indexed) are read from the chain,
    # and the governors' report prints the chain's head (one row, by the (school, seq) index)
    head = "ORDER BY acceptance.seq DESC"
    staff_entered = "recorded_by_id IS NOT NULL"
    assert [s for s in read_history if staff_entered not in s and head not in s] == []
    assert all(_pupils_accepted(demo_school))
    assert acceptance.verify_chain(demo_school.id).broken_at is None


def generate_trust_into_demo_trust() -> None:
    """Add 2,128 pupils with progress to the demo school's trust (moved into it)."""
    from app.services import school_calendar

    ids = generate_trust(school_calendar.today())
    demo = db.session.scalar(sa.select(School).where(School.name == "Lantern Demo School"))
    for school_id in ids:
        db.session.get(School, school_id).trust_id = demo.trust_id
    # and as many pupils again in the demo school itself
    db.session.execute(sa.update(User).where(User.school_id == ids[0]).values(school_id=demo.id))
    db.session.commit()


def test_csv_names_the_school_and_dates_and_defuses_formulas(full_demo, login_as):
    db.session.execute(
        sa.update(User).where(User.username == "demo.y5.1").values(display_name="=HYPERLINK(1)")
    )
    db.session.commit()
    client = login_as("coordinator")
    for what in ("coverage", "progression", "compliance"):
        response = client.get(f"/coordinator/export/{what}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        disposition = response.headers["Content-Disposition"]
        assert f"{what}-lantern-demo-school-" in disposition and "-to-" in disposition
        lines = response.get_data(as_text=True).splitlines()
        assert lines[1] == "School,Lantern Demo School" and lines[2].startswith("From,")
    body = client.get("/coordinator/export/compliance.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in body and ",=HYPERLINK" not in body


def test_post_forms_need_csrf(full_demo, login_as):
    client = login_as("coordinator")
    assert (
        client.post("/coordinator/settings/year-start", data={"day": 1, "month": 9}).status_code
        == 400
    )
    assert post(client, "/coordinator/settings/year-start", {"day": 2, "month": 9},
                token_from="/coordinator/settings").status_code == 303  # fmt: skip
