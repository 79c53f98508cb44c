"""Report a worry, staff concerns and the DSL's incident log: who sees what, court-safe, audited."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Assignment,
    AuditEvent,
    Incident,
    IncidentEntry,
    Role,
    SafeguardingReport,
    SchoolClass,
)
from app.services import safeguarding as sg
from tests import factories
from tests.conftest import post
from tests.pages import client_for, demo_user

WORDS = "A man on a game keeps asking where I live"


def _events(kind: str) -> list[AuditEvent]:
    """The audit rows of one kind."""
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.event == kind)))


def _concern(client, pupils, text="Said a stranger sent them a photo") -> None:
    """Log a concern about pupils as whoever the client is."""
    data = {"pupils": [p.id for p in pupils], "text": text, "happened": "Last night",
            "platform": "Roblox", "action_taken": "Told the DSL"}  # fmt: skip
    response = post(client, "/safeguarding/concern", data, token_from="/safeguarding/concern")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def test_a_pupil_reports_a_worry_and_sees_only_that_it_was_received(demo_school, login_as):
    client = login_as("pupil.y4")
    home = client.get("/pupil/").get_data(as_text=True)
    assert "worried about something" in home  # on every pupil page
    page = client.get("/safeguarding/worry").get_data(as_text=True)
    assert "0800 1111" in page and "CEOP" in page and "Report Remove" in page
    assert "You are not in trouble" in page
    sent = post(client, "/safeguarding/worry", {"about": "someone_online", "text": WORDS},
                token_from="/safeguarding/worry")  # fmt: skip
    assert sent.status_code == 303
    report = db.session.scalar(sa.select(SafeguardingReport))
    assert (report.kind, report.about, report.text) == ("worry", "someone_online", WORDS)
    assert [row.pupil_id for row in report.pupils] == [demo_user("pupil.y4").id]
    mine = client.get("/safeguarding/worry").get_data(as_text=True)
    assert "Received" in mine and WORDS not in mine  # the status only
    assert [e.subject_id for e in _events("safeguarding_reported")] == [report.author_id]


def test_a_worry_without_a_choice_keeps_what_was_typed(demo_school, login_as):
    client = login_as("pupil.y8")
    page = post(client, "/safeguarding/worry", {"text": WORDS}, token_from="/safeguarding/worry")
    assert page.status_code == 200
    assert "Choose what it is about." in page.get_data(as_text=True)
    assert WORDS in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SafeguardingReport)) == 0


def test_a_young_pupil_asks_to_talk_with_one_tap(demo_school, login_as):
    client = login_as("pupil.y1")
    home = client.get("/pupil/").get_data(as_text=True)
    assert 'action="/safeguarding/talk"' in home
    sent = post(client, "/safeguarding/talk", token_from="/pupil/")
    assert sent.status_code == 303
    thanks = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "read-aloud" in thanks and "not in trouble" in thanks
    report = db.session.scalar(sa.select(SafeguardingReport))
    assert (report.about, report.text) == (sg.TALK, None)


def test_a_teacher_sees_only_their_own_concerns_and_whether_they_were_read(
    demo_school, login_as, app
):
    pupils = [demo_user("pupil.y4"), demo_user("pupil.y8")]
    teacher = login_as("teacher")
    _concern(teacher, pupils)
    report = db.session.scalar(sa.select(SafeguardingReport))
    assert {row.pupil_id for row in report.pupils} == {p.id for p in pupils}
    assert "Not yet read" in teacher.get("/safeguarding/concern").get_data(as_text=True)
    for url in ("/safeguarding/log", f"/safeguarding/reports/{report.id}", "/safeguarding/log.csv"):
        assert teacher.get(url).status_code == 404, url
    dsl = client_for(app, "coordinator")
    assert dsl.get(f"/safeguarding/reports/{report.id}").status_code == 200
    assert "Read " in teacher.get("/safeguarding/concern").get_data(as_text=True)


@pytest.mark.parametrize("username", ["admin", "parent", "pupil.y8", "teacher"])
def test_nobody_outside_the_dsl_team_reaches_a_record(demo_school, login_as, username):
    report, incident = factories.incident(
        demo_user("teacher"), [demo_user("pupil.y4")], demo_user("coordinator")
    )
    client = login_as(username)
    for url in (
        "/safeguarding/log",
        f"/safeguarding/reports/{report.id}",
        f"/safeguarding/incidents/{incident.id}",
        f"/safeguarding/incidents/{incident.id}/export.csv",
        f"/safeguarding/incidents/{incident.id}/print",
        "/safeguarding/log.csv",
        "/safeguarding/log/print",
        f"/safeguarding/pupils/{demo_user('pupil.y4').id}/file",
    ):
        assert client.get(url).status_code in (403, 404), (username, url)
    before = len(incident.entries)
    refused = post(client, f"/safeguarding/incidents/{incident.id}/entries",
                   {"kind": "action", "text": "x"}, token_from="/")  # fmt: skip
    assert refused.status_code in (403, 404)
    db.session.expire_all()
    assert len(db.session.get(Incident, incident.id).entries) == before


def test_an_admin_never_reads_the_log_even_with_the_flag(demo_school, login_as):
    demo_user("admin").dsl = True
    db.session.commit()
    assert login_as("admin").get("/safeguarding/log").status_code == 404


def test_a_coordinator_who_is_not_dsl_does_not_read_the_log(demo_school, login_as):
    demo_user("coordinator").dsl = False
    db.session.commit()
    client = login_as("coordinator")
    assert client.get("/safeguarding/log").status_code == 404
    home = client.get("/coordinator/").get_data(as_text=True)
    assert "Open the incident log" not in home and "/safeguarding/concern" in home


def test_another_schools_dsl_sees_nothing(demo_school, login_as):
    report, incident = factories.incident(
        demo_user("teacher"), [demo_user("pupil.y4")], demo_user("coordinator")
    )
    other = factories.school()
    factories.user(other, Role.COORDINATOR, username="other.dsl", dsl=True)
    db.session.commit()
    client = login_as("other.dsl", factories.PASSWORD)
    for url in (f"/safeguarding/reports/{report.id}", f"/safeguarding/incidents/{incident.id}",
                f"/safeguarding/pupils/{demo_user('pupil.y4').id}/file"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert "Someone asked" not in client.get("/safeguarding/log").get_data(as_text=True)


def test_the_dsl_works_an_incident_and_every_step_is_audited(demo_school, login_as):
    pupils = [demo_user("pupil.y4"), demo_user("pupil.y8")]
    report, incident = factories.incident(demo_user("teacher"), pupils, demo_user("coordinator"))
    factories.worry(demo_user("pupil.y4"))
    dsl = login_as("coordinator")
    log = dsl.get("/safeguarding/log").get_data(as_text=True)
    assert "2 new reports" in log  # the teacher's (in the incident) and the pupil's: unread
    assert "2 new reports" in dsl.get("/coordinator/").get_data(as_text=True)
    page = f"/safeguarding/incidents/{incident.id}"
    assert dsl.get(page).status_code == 200
    steps = [
        {"kind": "pupil", "pupil": pupils[0].id, "value": "harmed"},
        {"kind": "category", "value": "contact"},
        {"kind": "action", "text": "Spoke to the pupil with their teacher."},
        {"kind": "referral", "value": "adult_involved", "text": "MASH called, ref 123"},
        {"kind": "sanction", "value": "warning", "pupil": pupils[1].id, "text": "Shared it on"},
        {"kind": "parents", "pupil": pupils[0].id, "text": "Phoned mum, 5 December"},
        {"kind": "status", "value": "closed", "text": "Resolved; monitored for a term."},
    ]
    for step in steps:
        response = post(dsl, f"{page}/entries", step, token_from=page)
        assert response.status_code == 303, (step, response.get_data(as_text=True)[:3000])
    found = sg.state(db.session.get(Incident, incident.id))
    assert (found.category, found.status) == ("contact", "closed")
    assert dict((p.username, part) for p, part in found.pupils)["pupil.y4"] == "harmed"
    shown = dsl.get(page).get_data(as_text=True)
    assert "social care and the police at once" in shown and "MASH called" in shown
    recorded = _events("safeguarding_recorded")
    assert len(recorded) == len(steps)
    csv = dsl.get(f"{page}/export.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert text.startswith("Incident ID,Student,") and "Phoned mum" in text
    assert len(text.strip().splitlines()) >= 3  # a heading and a row for each pupil
    assert len(_events("safeguarding_exported")) == 1
    assert len(_events("safeguarding_viewed")) >= 2  # the log and the incident


def test_a_bad_entry_is_refused_with_the_words_kept(demo_school, login_as):
    _report, incident = factories.incident(
        demo_user("teacher"), [demo_user("pupil.y4")], demo_user("coordinator")
    )
    dsl = login_as("coordinator")
    page = f"/safeguarding/incidents/{incident.id}"
    before = len(incident.entries)
    sent = {"kind": "sanction", "value": "warning", "text": "Keep these words"}
    response = post(dsl, f"{page}/entries", sent, token_from=page)
    assert response.status_code == 400
    assert "Choose the pupil this sanction is for." in response.get_data(as_text=True)
    assert "Keep these words" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Incident, incident.id).entries) == before


def test_a_correction_is_a_new_entry_and_the_old_text_stays(demo_school, login_as):
    _report, incident = factories.incident(
        demo_user("teacher"), [demo_user("pupil.y4")], demo_user("coordinator")
    )
    dsl = login_as("coordinator")
    page = f"/safeguarding/incidents/{incident.id}"
    post(dsl, f"{page}/entries", {"kind": "action", "text": "Met on Monday"}, token_from=page)
    wrong = db.session.scalar(sa.select(IncidentEntry).where(IncidentEntry.kind == "action"))
    fixed = post(dsl, f"{page}/entries", {"kind": "correction", "corrects": wrong.id,
                                          "text": "Met on Tuesday"}, token_from=page)  # fmt: skip
    assert fixed.status_code == 303
    shown = dsl.get(page).get_data(as_text=True)
    assert "Met on Monday" in shown and "Met on Tuesday" in shown
    db.session.expire_all()
    assert db.session.get(IncidentEntry, wrong.id).text == "Met on Monday"


def test_no_route_changes_or_deletes_a_record(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("safeguarding."):
            assert not rule.methods & {"PUT", "PATCH", "DELETE"}, rule.rule
            assert not re.search(r"edit|delete|remove|update", rule.rule), rule.rule


TABLES = (
    "safeguarding_report",
    "safeguarding_report_pupil",
    "safeguarding_report_read",
    "safeguarding_incident",
    "safeguarding_entry",
    "safeguarding_sanction_option",
)


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id WHERE 1 = 1", "DELETE FROM {t}"])
def test_sql_cannot_change_or_delete_a_safeguarding_row(demo_school, table, statement):
    report, incident = factories.incident(
        demo_user("teacher"), [demo_user("pupil.y4")], demo_user("coordinator")
    )
    sg.mark_read(report, demo_user("coordinator"))
    sg.change_sanction(demo_user("coordinator"), "pupil", "warning", shown=False)
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="insert-only"):
        db.session.execute(sa.text(statement.format(t=table)))
    db.session.rollback()


def test_the_orm_refuses_to_change_or_delete_what_was_written(demo_school):
    report, incident = factories.incident(
        demo_user("teacher"), [demo_user("pupil.y4")], demo_user("coordinator")
    )
    report.text = "changed"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(IncidentEntry, incident.entries[0].id))
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


def test_no_page_of_these_has_a_file_input(demo_school, login_as, app):
    _report, incident = factories.incident(
        demo_user("teacher"), [demo_user("pupil.y4")], demo_user("coordinator")
    )
    worry = factories.worry(demo_user("pupil.y8"))
    pages = {
        "pupil.y8": ["/pupil/", "/safeguarding/worry", "/safeguarding/worry/sent"],
        "pupil.y1": ["/pupil/", "/safeguarding/worry"],
        "teacher": ["/safeguarding/concern"],
        "coordinator": ["/safeguarding/log", f"/safeguarding/reports/{worry.id}",
                        f"/safeguarding/incidents/{incident.id}", "/safeguarding/log/print",
                        f"/safeguarding/pupils/{demo_user('pupil.y4').id}/file"],
    }  # fmt: skip
    for username, urls in pages.items():
        client = client_for(app, username)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            html = response.get_data(as_text=True).lower()
            assert 'type="file"' not in html and "multipart" not in html, url


def test_setting_the_matching_lesson_sets_it_for_each_pupils_class(demo_school, login_as):
    pupils = [demo_user("pupil.y4"), demo_user("pupil.y8")]
    _report, incident = factories.incident(demo_user("teacher"), pupils, demo_user("coordinator"))
    dsl = login_as("coordinator")
    page = f"/safeguarding/incidents/{incident.id}"
    shown = dsl.get(page).get_data(as_text=True)
    assert 'value="ks2-grooming-1"' in shown and 'value="ks3-grooming-1"' in shown
    # KS2 grooming is teacher-led: not set until 4B has been taught it, and never for 8C
    # (Year 8 is not in the lesson's key stage)
    refused = post(dsl, f"{page}/lesson", {"choice": "ks2-grooming-1"}, token_from=page)
    assert refused.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0
    warning = dsl.get(page).get_data(as_text=True)
    assert "Not set for 4B yet." in warning and "teacher-led lesson" in warning
    factories.taught(db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B")),
                     "ks2-grooming-1")  # fmt: skip
    db.session.commit()
    set_it = post(dsl, f"{page}/lesson", {"choice": "ks2-grooming-1"}, token_from=page)
    assert set_it.status_code == 303
    rows = list(db.session.scalars(sa.select(Assignment)))
    assert [(r.school_class.name, r.module.lesson_ids) for r in rows] == [
        ("4B", ["ks2-grooming-1"])
    ]
    assert "Not yet: " in dsl.get(page).get_data(as_text=True)


def test_a_pupils_file_exports_only_their_rows(demo_school, login_as):
    pupils = [demo_user("pupil.y4"), demo_user("pupil.y8")]
    factories.incident(demo_user("teacher"), pupils, demo_user("coordinator"))
    dsl = login_as("coordinator")
    text = dsl.get(f"/safeguarding/pupils/{pupils[0].id}/file.csv").get_data(as_text=True)
    assert pupils[0].display_name in text and pupils[1].username not in text
    [event] = _events("safeguarding_exported")
    assert event.subject_id == pupils[0].id


def test_the_governors_report_counts_incidents_without_names(demo_school, login_as):
    teacher, dsl = demo_user("teacher"), demo_user("coordinator")
    for _n in range(3):
        factories.incident(teacher, [demo_user("pupil.y4")], dsl)
    _report, one = factories.incident(teacher, [demo_user("pupil.y8")], dsl)
    sg.add_entry(one, dsl, sg.CATEGORY, value="contact")
    db.session.commit()
    client = login_as("coordinator")
    page = client.get("/coordinator/report").get_data(as_text=True)
    section = page[page.index('id="r-incidents"') :]
    ks2 = r'Key Stage 2</th>(<td class="num">0</td>)*<td class="num">3</td>'  # this term: 3
    assert re.search(ks2, section.replace("\n", ""))
    assert "fewer than 3" in section  # one KS3 incident, one in contact
    for pupil in ("pupil.y4", "pupil.y8"):
        assert demo_user(pupil).display_name not in section


def test_coverage_marks_a_year_group_where_incidents_cluster_on_an_untaught_topic(
    demo_school, login_as
):
    teacher, dsl = demo_user("teacher"), demo_user("coordinator")
    factories.incident(teacher, [demo_user("pupil.y4")], dsl)  # the factory sets grooming
    client = login_as("coordinator")
    assert "Incidents on topics not yet taught" not in client.get("/coordinator/coverage").text
    factories.incident(teacher, [demo_user("pupil.y4")], dsl)
    page = client.get("/coordinator/coverage").get_data(as_text=True)
    assert "Incidents on topics not yet taught" in page
    assert "Year 4, Grooming</a>: 2 incidents" in page
    assert demo_user("pupil.y4").display_name not in page


def test_the_parent_sees_the_shared_guide_and_nothing_about_the_incident(
    demo_school, login_as, app
):
    pupil = demo_user("pupil.y4")
    _report, incident = factories.incident(demo_user("teacher"), [pupil], demo_user("coordinator"))
    dsl = login_as("coordinator")
    page = f"/safeguarding/incidents/{incident.id}"
    shared = post(dsl, f"{page}/guide", {"choice": pupil.id}, token_from=page)
    assert shared.status_code == 303
    parent = client_for(app, "parent").get("/parent/").get_data(as_text=True)
    assert "Your school has shared a guide with you" in parent
    section = parent[parent.index("shared-guides-title") :][:800]
    assert "/guides/" in section
    for secret in ("Someone asked for a photo", "incident", "A game chat"):
        assert secret not in parent


def test_the_command_line_adds_staff_to_the_dsl_team_and_logs_it(demo_school, runner):
    result = runner.invoke(args=["user", "dsl", "teacher", "--on"])
    assert result.exit_code == 0, result.output
    assert "is now on the safeguarding (DSL) team" in result.output
    db.session.expire_all()
    assert demo_user("teacher").dsl is True
    [event] = _events("role_changed")
    assert event.subject_id == demo_user("teacher").id
    assert runner.invoke(args=["user", "dsl", "pupil.y4", "--on"]).exit_code != 0
    assert runner.invoke(args=["user", "dsl", "admin", "--on"]).exit_code != 0
    assert runner.invoke(args=["user", "dsl", "teacher", "--off"]).exit_code == 0
    db.session.expire_all()
    assert demo_user("teacher").dsl is False


def test_the_dsl_reads_who_viewed_and_changed_records(demo_school, login_as, app):
    _report, incident = factories.incident(
        demo_user("teacher"), [demo_user("pupil.y4")], demo_user("coordinator")
    )
    dsl = login_as("coordinator")
    dsl.get(f"/safeguarding/incidents/{incident.id}/export.csv")
    page = dsl.get("/safeguarding/audit").get_data(as_text=True)
    assert "Exported a safeguarding record" in page and "one incident (CSV)" in page
    [read] = _events("audit_viewed")
    assert read.detail == '{"log":"incident_log"}'
    assert client_for(app, "teacher").get("/safeguarding/audit").status_code == 404


def test_the_dsl_edits_the_sanctions_matrices_and_past_entries_keep_their_name(
    demo_school, login_as, app
):
    pupil = demo_user("pupil.y4")
    _report, incident = factories.incident(demo_user("teacher"), [pupil], demo_user("coordinator"))
    dsl = login_as("coordinator")
    page = f"/safeguarding/incidents/{incident.id}"
    assert "Suspension" in dsl.get(page).get_data(as_text=True)
    add = {"action": "add", "audience": "pupil", "label": "Restorative conversation"}
    assert (
        post(dsl, "/safeguarding/sanctions", add, token_from="/safeguarding/sanctions").status_code
        == 303
    )
    hide = {"action": "hide", "audience": "staff", "choice": "suspension"}
    assert (
        post(dsl, "/safeguarding/sanctions", hide, token_from="/safeguarding/sanctions").status_code
        == 303
    )
    shown = dsl.get(page).get_data(as_text=True)
    assert "Restorative conversation" in shown and "Suspension" not in shown
    own = next(k for k, label, _shown in sg.sanction_matrix(pupil.school_id, "pupil")
               if k.startswith("own-"))  # fmt: skip
    sent = {"kind": "sanction", "value": own, "pupil": pupil.id}
    assert post(dsl, f"{page}/entries", sent, token_from=page).status_code == 303
    hide_own = {"action": "hide", "audience": "pupil", "choice": own}
    post(dsl, "/safeguarding/sanctions", hide_own, token_from="/safeguarding/sanctions")
    assert "Restorative conversation (Ben C.)" in dsl.get(page).get_data(as_text=True)
    refused = post(dsl, f"{page}/entries", sent, token_from=page)
    assert refused.status_code == 400  # hidden now: no longer offered
    twice = post(dsl, "/safeguarding/sanctions", add, token_from="/safeguarding/sanctions")
    assert "already in the matrix" in twice.get_data(as_text=True)
    assert client_for(app, "teacher").get("/safeguarding/sanctions").status_code == 404


def test_subject_access_counts_safeguarding_records_and_never_shows_them(demo_school, login_as):
    pupil = demo_user("pupil.y4")
    factories.worry(pupil, text=WORDS)
    admin = login_as("admin")
    held = admin.get(f"/admin/people/{pupil.id}/subject-access.json").get_json()
    rows = held["sections"]["safeguarding_records"]
    assert {(r["table"], r["rows"]) for r in rows} == {
        ("safeguarding_report", 1),
        ("safeguarding_report_pupil", 1),
    }
    assert WORDS not in admin.get(f"/admin/people/{pupil.id}/subject-access").get_data(as_text=True)


def test_help_routes_are_in_each_age_s_own_words(app, demo_school, login_as):
    from app.demo import school as demo
    from tests.conftest import agree, sign_in

    primary = login_as("pupil.y4").get("/safeguarding/worry").get_data(as_text=True)
    assert "pictures of your private parts" in primary and "sexual" not in primary
    assert "CEOP" in primary and "Report Remove" in primary
    older = app.test_client()
    sign_in(older, "pupil.y8", demo.DEMO_PASSWORD)
    agree(older)
    secondary = older.get("/safeguarding/worry").get_data(as_text=True)
    assert "sexual pictures" in secondary and "private parts" not in secondary
