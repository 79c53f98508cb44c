"""Photo-consent and family services: the latest decision, saying no, access."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ConsentDecision, ConsentPart, PhotoConsent, Role
from app.services import consent
from tests import factories

GIVEN, REFUSED, WITHDRAWN = (
    ConsentDecision.GIVEN,
    ConsentDecision.REFUSED,
    ConsentDecision.WITHDRAWN,
)
IN_SCHOOL, PUBLICATIONS = ConsentPart.IN_SCHOOL, ConsentPart.PUBLICATIONS
WEBSITE, SOCIAL_MEDIA, PRESS = ConsentPart.WEBSITE, ConsentPart.SOCIAL_MEDIA, ConsentPart.PRESS
NOTHING = dict.fromkeys((IN_SCHOOL, WEBSITE, SOCIAL_MEDIA, PRESS))


@pytest.fixture
def family_of_two(app):
    """A school with a parent of two pupils, and a classmate who is not theirs."""
    school = factories.school()
    parent = factories.user(school, Role.PARENT)
    kids = [factories.user(school, Role.PUPIL, year=y) for y in (4, 8)]
    parent.children.extend(kids)
    classmate = factories.user(school, Role.PUPIL, year=4)
    db.session.commit()
    return parent, kids, classmate


def _add(pupil, part, decision, at: datetime) -> PhotoConsent:
    row = PhotoConsent(
        school_id=pupil.school_id, pupil_id=pupil.id, part=part, decision=decision, decided_at=at
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_current_is_the_latest_decision_per_pupil_and_part_in_one_query(family_of_two):
    _, (ben, chloe), _ = family_of_two
    day = datetime(2026, 9, 10, 9)
    _add(ben, IN_SCHOOL, GIVEN, day)
    latest = _add(ben, IN_SCHOOL, WITHDRAWN, day + timedelta(days=3))
    _add(ben, WEBSITE, REFUSED, day)
    _add(chloe, IN_SCHOOL, GIVEN, day + timedelta(days=1))
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        state = consent.current([ben.id, chloe.id, 999])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert len(seen) == 1
    assert state[ben.id][IN_SCHOOL] is latest
    assert state[ben.id][WEBSITE].decision is REFUSED
    assert state[chloe.id] == NOTHING | {IN_SCHOOL: state[chloe.id][IN_SCHOOL]}
    assert state[999] == NOTHING
    assert consent.current([]) == {}


@pytest.mark.parametrize(
    ("now", "asked", "stored"),
    [
        (None, REFUSED, REFUSED),
        (None, WITHDRAWN, REFUSED),  # nothing to withdraw yet: it is a refusal
        (GIVEN, REFUSED, WITHDRAWN),  # no after yes is a withdrawal
        (GIVEN, WITHDRAWN, WITHDRAWN),
        (WITHDRAWN, REFUSED, WITHDRAWN),  # still no: unchanged
        (REFUSED, WITHDRAWN, REFUSED),
        (REFUSED, GIVEN, GIVEN),
    ],
)
def test_saying_no_is_a_refusal_before_consent_and_a_withdrawal_after(now, asked, stored):
    row = PhotoConsent(decision=now) if now else None
    assert consent.normalise(asked, row) is stored


def test_decide_adds_a_row_per_change_and_nothing_for_the_same_answer(family_of_two):
    parent, (ben, _), _ = family_of_two
    assert consent.decide(parent, ben, IN_SCHOOL, GIVEN).decided_by_id == parent.id
    db.session.commit()
    assert consent.decide(parent, ben, IN_SCHOOL, GIVEN) is None
    assert consent.decide(parent, ben, IN_SCHOOL, REFUSED).decision is WITHDRAWN
    db.session.commit()
    assert [r.decision for r in consent.history(ben.id)] == [WITHDRAWN, GIVEN]


def test_a_decision_is_never_edited(family_of_two):
    parent, (ben, _), _ = family_of_two
    row = consent.decide(parent, ben, IN_SCHOOL, GIVEN)
    db.session.commit()
    row.decision = REFUSED
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_a_use_not_yet_answered_takes_the_old_publications_answer_labelled(family_of_two):
    _, (ben, chloe), _ = family_of_two
    day = datetime(2026, 9, 10, 9)
    old = _add(ben, PUBLICATIONS, GIVEN, day)
    own = _add(ben, PRESS, WITHDRAWN, day + timedelta(days=2))
    state = consent.current([ben.id, chloe.id])
    assert PUBLICATIONS not in state[ben.id]
    assert state[ben.id][WEBSITE] is old and state[ben.id][SOCIAL_MEDIA] is old
    assert state[ben.id][PRESS] is own and state[ben.id][IN_SCHOOL] is None
    assert consent.inherited(state[ben.id][WEBSITE], WEBSITE)
    assert not consent.inherited(own, PRESS) and not consent.inherited(None, PRESS)
    assert consent.is_given(state[ben.id][WEBSITE])  # it was a yes, and says where it came from
    assert state[chloe.id] == NOTHING  # an old answer of one pupil is never another's


def test_answering_a_use_the_same_as_the_old_answer_still_records_it(family_of_two):
    parent, (ben, _), _ = family_of_two
    _add(ben, PUBLICATIONS, REFUSED, datetime(2026, 9, 10, 9))
    row = consent.decide(parent, ben, WEBSITE, REFUSED)
    assert row is not None and row.part is WEBSITE and row.decision is REFUSED
    db.session.commit()
    assert consent.decide(parent, ben, WEBSITE, REFUSED) is None
    with pytest.raises(ValueError):
        consent.decide(parent, ben, PUBLICATIONS, GIVEN)  # no longer asked


def test_only_a_sixth_former_decides_their_own(family_of_two):
    from app.errors import Forbidden

    parent, (ben, chloe), _ = family_of_two
    chloe.year = 12
    assert consent.decides_own(chloe) and not consent.decides_own(ben)
    with pytest.raises(Forbidden):
        consent.decide(parent, chloe, PRESS, GIVEN)
    with pytest.raises(Forbidden):
        consent.decide(ben, ben, PRESS, GIVEN)  # a Year 4 pupil does not decide
    with pytest.raises(Forbidden):
        consent.decide(ben, chloe, PRESS, GIVEN)  # nor for anyone else
    assert consent.decide(chloe, chloe, PRESS, GIVEN).decided_by_id == chloe.id
