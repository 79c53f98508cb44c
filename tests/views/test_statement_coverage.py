"""Coverage by framework statement, a year group at a time, and the cohort-by-topic table."""

from __future__ import annotations

from app.content import lessons


def test_a_coordinator_sees_year_8s_statements_with_the_lessons_for_year_8(
    client, login_as, full_demo
):
    login_as("coordinator")
    page = client.get("/coordinator/coverage/statements?year=8")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Framework statements for Year 8" in html
    assert "Statements for this age band" in html
    ks3 = [s for s in lessons().statements() if 8 in s.years]
    assert ks3 and all(s.text.replace("'", "&#39;").replace('"', "&#34;") in html for s in ks3)
    for lesson in lessons().for_year(8):
        if lesson.statements:
            assert lesson.title.replace("'", "&#39;") in html


def test_the_statement_page_refuses_a_year_that_is_not_one(client, login_as, full_demo):
    login_as("coordinator")
    assert client.get("/coordinator/coverage/statements?year=14").status_code == 404
    assert client.get("/coordinator/coverage/statements?year=eight").status_code == 404
    assert client.get("/coordinator/coverage/statements").status_code == 200


def test_only_coordinators_see_statement_coverage(client, login_as, full_demo):
    login_as("teacher")
    assert client.get("/coordinator/coverage/statements?year=8").status_code in (403, 404)


def test_the_progression_page_compares_a_cohort_with_its_own_last_year(client, login_as, full_demo):
    login_as("coordinator")
    html = client.get("/coordinator/progression?cohort=5").get_data(as_text=True)
    assert "Year 5 against their own last year, topic by topic" in html
    assert "Last school year, as Year 4" in html or "No quiz has been taken" in html
    assert client.get("/coordinator/progression?cohort=zz").status_code == 200
