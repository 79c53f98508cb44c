"""One rule for 'is this person up to date with this AUP', shared by the AUP gate and compliance."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_migrate import downgrade, upgrade

from app.content import aups
from app.content.aup import AupLibrary
from app.extensions import db
from app.models import Acceptance, AupLatest, Frequency, Role
from app.services import acceptance, compliance, school_calendar, school_settings
from app.services.acceptance import Context, pending, up_to_date
from tests import factories
from tests.trust_data import small_school

YEAR_START = date(2026, 9, 1)
MIDNIGHT = datetime(2026, 9, 1)


@pytest.mark.parametrize("frequency", list(Frequency))
@pytest.mark.parametrize("this_logon", [True, False, None])
def test_never_accepting_this_version_is_never_up_to_date(frequency, this_logon):
    assert not up_to_date(frequency, None, YEAR_START, this_logon)


@pytest.mark.parametrize(
    ("frequency", "latest", "expected"),
    [
        (Frequency.PER_VERSION, MIDNIGHT - timedelta(days=400), True),  # once, years ago
        (Frequency.PER_SCHOOL_YEAR, MIDNIGHT, True),  # the school year's first moment
        (Frequency.PER_SCHOOL_YEAR, MIDNIGHT + timedelta(days=200), True),
        (Frequency.PER_SCHOOL_YEAR, MIDNIGHT - timedelta(microseconds=1), False),  # last year
        (Frequency.EACH_LOGON, MIDNIGHT - timedelta(days=400), True),  # compliance: once is enough
    ],
)
def test_the_latest_acceptance_of_the_version_decides(frequency, latest, expected):
    assert up_to_date(frequency, latest, YEAR_START) is expected


@pytest.mark.parametrize("frequency", [Frequency.PER_VERSION, Frequency.PER_SCHOOL_YEAR])
def test_the_sign_in_matters_only_at_each_logon(frequency):
    assert up_to_date(frequency, MIDNIGHT, YEAR_START, this_logon=False)
    assert not up_to_date(Frequency.EACH_LOGON, MIDNIGHT, YEAR_START, this_logon=False)
    assert up_to_date(Frequency.EACH_LOGON, MIDNIGHT, YEAR_START, this_logon=True)


def _standing(found, audience: str, username: str, child: str | None = None):
    """One standing from a compliance report."""
    return next(
        s
        for s in found.audiences[audience].standings
        if s.person.username == username and (s.child.username if s.child else None) == child
    )


def _agree(small, today: date, audience: str) -> None:
    """The gate (no sign-in in question) and compliance agree on everyone in an audience."""
    found = compliance.report(small.school, today)
    aup = found.audiences[audience].aup
    for s in found.audiences[audience].standings:
        owed = pending(s.person, aup, None, today)
        assert (s.child not in owed) is s.accepted, (s.person.username, s.child)


@pytest.mark.parametrize("frequency", [Frequency.PER_VERSION, Frequency.PER_SCHOOL_YEAR])
def test_a_new_version_is_due_for_the_gate_and_for_compliance(app, frequency):
    today = school_calendar.today()
    small = small_school(today)
    school_settings.set_frequency(small.school, "ks2", frequency)
    a1, a2 = small.people["a1"], small.people["a2"]
    current = aups().get("ks2")
    newer = current.model_copy(update={"version": current.version + ".1"})
    assert pending(a1, current, None, today) == []
    assert pending(a1, newer, None, today) == [None]
    assert pending(a2, current, None, today) == [None]  # a2 accepted an older version only
    found = compliance.report(small.school, today)
    assert _standing(found, "ks2", "a1").accepted
    assert not _standing(found, "ks2", "a2").accepted
    _agree(small, today, "ks2")


def _reword(audience: str, **changes) -> None:
    """Change an audience's AUP text in the loaded library, keeping its version label."""
    changes = changes or {"intro": aups().get(audience).intro + " Reworded."}
    library = [a.model_copy(update=changes) if a.audience == audience else a for a in aups().all()]
    current_app.extensions["lantern.aups"] = AupLibrary(library)


@pytest.mark.parametrize("frequency", list(Frequency))
def test_a_text_changed_under_the_same_label_is_due_for_the_gate_and_compliance(app, frequency):
    today = school_calendar.today()
    small = small_school(today)
    school_settings.set_frequency(small.school, "ks2", frequency)
    school_settings.set_frequency(small.school, "parent", frequency)
    before = aups().get("ks2").version
    assert _standing(compliance.report(small.school, today), "ks2", "a1").accepted
    _reword("ks2")
    _reword("parent")
    assert aups().get("ks2").version == before  # same label, another text
    found = compliance.report(small.school, today)
    assert not _standing(found, "ks2", "a1").accepted
    assert not _standing(found, "parent", "p", "a1").accepted
    assert pending(small.people["a1"], aups().get("ks2"), None, today) == [None]
    assert pending(small.people["p"], aups().get("parent"), None, today) == [
        small.people["a1"],
        small.people["a2"],
    ]
    _agree(small, today, "ks2")
    _agree(small, today, "parent")


def test_accepting_a_translation_of_the_current_text_is_accepting_it(app):
    today = school_calendar.today()
    small = small_school(today)
    english = aups().get("staff")
    welsh = english.model_copy(update={"locale": "cy", "intro": "Cytundeb staff."})
    current_app.extensions["lantern.aups"] = AupLibrary([*aups().all(), welsh])
    teacher = factories.user(small.school, Role.TEACHER, username="w", password=None)
    assert pending(teacher, english, None, today) == [None]
    acceptance.accept(teacher, welsh, Context(None, "", ""), today)
    assert pending(teacher, english, None, today) == []
    assert _standing(compliance.report(small.school, today), "staff", "w").accepted
    _agree(small, today, "staff")


def test_a_new_school_year_is_due_per_school_year_but_not_per_version(app):
    today = school_calendar.today()
    small = small_school(today)
    next_year = school_calendar.year_start(small.school, today).replace(year=today.year + 1)
    staff = aups().get("staff")
    teacher = small.people["t"]
    assert pending(teacher, staff, None, next_year - timedelta(days=1)) == []
    assert pending(teacher, staff, None, next_year) == [None]  # the staff default
    assert not _standing(compliance.report(small.school, next_year), "staff", "t").accepted
    _agree(small, next_year, "staff")
    school_settings.set_frequency(small.school, "staff", Frequency.PER_VERSION)
    assert pending(teacher, staff, None, next_year) == []
    assert _standing(compliance.report(small.school, next_year), "staff", "t").accepted
    _agree(small, next_year, "staff")


def test_the_school_s_own_year_start_decides_when_a_year_begins(app):
    today = school_calendar.today()
    small = small_school(today)
    tomorrow = today + timedelta(days=1)
    if (tomorrow.month, tomorrow.day) == (2, 29):
        tomorrow += timedelta(days=1)
    teacher = small.people["t"]
    assert pending(teacher, aups().get("staff"), None, tomorrow) == []
    school_settings.set_year_start(small.school, tomorrow.day, tomorrow.month)
    assert pending(teacher, aups().get("staff"), None, tomorrow) == [None]
    assert pending(teacher, aups().get("staff"), None, today) == []  # still last year's
    assert not _standing(compliance.report(small.school, tomorrow), "staff", "t").accepted
    _agree(small, tomorrow, "staff")


def test_each_logon_the_gate_asks_again_while_compliance_counts_once(app):
    today = school_calendar.today()
    small = small_school(today)
    pupil = small.people["b1"]
    ks2 = aups().get("ks2")
    assert pending(pupil, ks2, 1, today) == [None]
    acceptance.accept(pupil, ks2, Context(1, "127.0.0.1", "test"), today)
    assert pending(pupil, ks2, 1, today) == []
    assert pending(pupil, ks2, 2, today) == [None]  # the next sign-in
    assert _standing(compliance.report(small.school, today), "ks2", "b1").accepted


def test_a_parent_is_up_to_date_per_child(app):
    today = school_calendar.today()
    small = small_school(today)
    parent = small.people["p"]
    assert pending(parent, aups().get("parent"), None, today) == [small.people["a2"]]
    found = compliance.report(small.school, today)
    assert _standing(found, "parent", "p", "a1").accepted
    assert not _standing(found, "parent", "p", "a2").accepted
    _agree(small, today, "parent")


def _latest_rows() -> set:
    """Every latest-acceptance row, without its id."""
    rows = db.session.execute(
        sa.select(
            AupLatest.school_id,
            AupLatest.user_id,
            AupLatest.subject_id,
            AupLatest.aup_id,
            AupLatest.aup_version,
            AupLatest.text_hash,
            AupLatest.accepted_at,
        )
    )
    return set(rows)


def test_the_latest_acceptance_rows_follow_the_chain(app):
    today = school_calendar.today()
    small = small_school(today)
    pupil, ks2 = small.people["a1"], aups().get("ks2")
    for session_id in (5, 6, 7):
        acceptance.accept(pupil, ks2, Context(session_id, "127.0.0.1", "test"), today)
    other = factories.school("Ash School")
    acceptance.accept(
        factories.user(other, username="y", password=None), ks2, Context(8, "::1", "t"), today
    )
    kept = _latest_rows()
    mine = [r for r in kept if r.user_id == pupil.id and r.aup_version == ks2.version]
    newest = db.session.scalar(
        sa.select(sa.func.max(Acceptance.accepted_at)).where(Acceptance.user_id == pupil.id)
    )
    assert [row.accepted_at for row in mine] == [newest]  # one row, moved on at each logon
    for school_id in (small.school.id, small.other.id, other.id):
        acceptance.rebuild_latest(school_id)
    db.session.commit()
    assert _latest_rows() == kept


def test_upgrading_fills_the_latest_rows_from_the_existing_chains(app):
    today = school_calendar.today()
    small = small_school(today)
    for session_id in (5, 6):
        acceptance.accept(small.people["b1"], aups().get("ks2"), Context(session_id, "", ""), today)
    kept = _latest_rows()
    assert len(kept) == 5  # t, a1, a2 (old version), p for a1, b1 once for two logons
    db.session.commit()
    downgrade(revision="0004")
    upgrade()
    assert _latest_rows() == kept
