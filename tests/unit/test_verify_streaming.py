"""`aup verify` streams each chain: its memory does not grow with the chain's length."""

from __future__ import annotations

import tracemalloc

from app.extensions import db
from app.models import Acceptance, Role, utcnow
from app.services import acceptance
from tests import factories


def _chain(length: int) -> int:
    """A school whose (valid) chain holds this many records; its id."""
    school = factories.school()
    pupil = factories.user(school, Role.PUPIL, year=5, password=None)
    db.session.flush()
    prev, now = acceptance.GENESIS, utcnow()
    for seq in range(1, length + 1):
        row = Acceptance(
            seq=seq, school_id=school.id, user_id=pupil.id, on_behalf_of_id=None,
            login_session_id=None, audience="ks2", aup_id="ks2", aup_version="1",
            locale="en", text_hash="a" * 64, accepted_at=now, hash_rule=acceptance.CURRENT_RULE,
            form="full", form_hash="a" * 64, recorded_by_id=None, method="", ip_address="",
            user_agent="", network="", browser="", client_digest="", legacy_mac=None,
            prev_hash=prev,
        )  # fmt: skip
        row.record_hash = prev = acceptance.record_hash(acceptance.hashed_fields(row))
        db.session.add(row)
    db.session.commit()
    school_id = school.id
    db.session.expunge_all()
    return school_id


def _peak_while_verifying(school_id: int, length: int) -> int:
    """The most memory verify_chain held at once, in bytes (it must find the chain sound)."""
    tracemalloc.start()
    try:
        report = acceptance.verify_chain(school_id)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (report.count, report.broken_at) == (length, None)
    return peak


def test_verifying_a_five_times_longer_chain_takes_no_more_memory(app):
    short, long = _chain(2 * acceptance.VERIFY_BATCH), _chain(10 * acceptance.VERIFY_BATCH)
    _peak_while_verifying(short, 2 * acceptance.VERIFY_BATCH)  # warm: statement caches
    small = _peak_while_verifying(short, 2 * acceptance.VERIFY_BATCH)
    large = _peak_while_verifying(long, 10 * acceptance.VERIFY_BATCH)
    assert large < small * 1.5, (small, large)
