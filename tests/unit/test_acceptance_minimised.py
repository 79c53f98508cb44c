"""Finding 9: an acceptance keeps a network, a browser family and a keyed digest, and migration
0013 moves sound rule-1 chains to that form while heads kept before still check."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.content import aups
from app.extensions import db
from app.models import Acceptance, Role
from app.services import acceptance, chain_audit, minimise, school_calendar
from tests import factories

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_an_address_is_cut_to_its_network(address, kept):
    assert minimise.network(address) == kept


@pytest.mark.parametrize(
    ("agent", "kept"),
    [
        (CHROME, "Chrome on Windows"),
        (IPAD, "Safari on iPadOS"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
         "Firefox on Linux"),
        (CHROME.replace("Safari/537.36", "Safari/537.36 Edg/131.0.2903.86"), "Edge on Windows"),
        ("curl/8.5.0", "other"),
    ],
)  # fmt: skip
def test_a_browser_string_is_cut_to_its_family(agent, kept):
    assert minimise.browser(agent) == kept


def test_an_acceptance_keeps_no_address_or_browser_string(app):
    school = factories.school()
    pupil = factories.user(school, Role.PUPIL, year=5, password=None)
    db.session.commit()
    context = acceptance.Context(None, "203.0.113.77", CHROME)
    row = acceptance.accept(pupil, aups().get("ks2"), context, school_calendar.today())[0]
    stored = db.session.execute(sa.text("SELECT * FROM acceptance")).one()._asdict()
    assert "203.0.113.77" not in json.dumps(stored, default=str)
    assert "Chrome/131" not in json.dumps(stored, default=str)
    assert (row.network, row.browser, row.hash_rule) == ("203.0.113.0/24", "Chrome on Windows", 3)
    # whoever holds the key and a claimed address and browser can confirm them, nobody else
    assert row.client_digest == minimise.client_digest("203.0.113.77", CHROME)
    assert row.client_digest != minimise.client_digest("203.0.113.78", CHROME)
    assert row.client_digest != minimise.client_digest("203.0.113.77", CHROME, b"another key")
    fields = acceptance.hashed_fields(row)
    assert "ip_address" not in fields and "user_agent" not in fields
    assert acceptance.verify_chain(school.id).broken_at is None


def _old_hash(fields: dict) -> str:
    """Hash rule 1 as it was written before migration 0013."""
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _old_chain(school_id: int, user_ids: list[int], when: datetime) -> list[str]:
    """Rule-1 records for these people, inserted at revision 0012 as the old code wrote them."""
    prev, hashes = acceptance.GENESIS, []
    ks2 = aups().get("ks2")
    for seq, user_id in enumerate(user_ids, start=1):
        fields = {
            "seq": seq, "school_id": school_id, "user_id": user_id, "on_behalf_of_id": None,
            "login_session_id": seq, "audience": "ks2", "aup_id": ks2.id,
            "aup_version": ks2.version, "locale": ks2.locale, "text_hash": ks2.text_hash,
            "accepted_at": when.isoformat(timespec="microseconds"),
            "ip_address": f"10.1.2.{seq}", "user_agent": CHROME, "prev_hash": prev,
        }  # fmt: skip
        prev = _old_hash(fields)
        db.session.execute(
            sa.text(
                "INSERT INTO acceptance (school_id, seq, user_id, on_behalf_of_id, "
                "login_session_id, audience, aup_id, aup_version, locale, text_hash, "
                "accepted_at, ip_address, user_agent, prev_hash, record_hash) VALUES (:school_id, "
                ":seq, :user_id, :on_behalf_of_id, :login_session_id, :audience, :aup_id, "
                ":aup_version, :locale, :text_hash, :at, :ip_address, :user_agent, :prev_hash, "
                ":hash)"
            ),
            fields | {"at": when, "hash": prev},
        )
        hashes.append(prev)
    db.session.commit()
    return hashes


def test_upgrading_moves_sound_chains_and_leaves_a_broken_one(app, runner):
    sound, broken = factories.school(), factories.school()
    people = [factories.user(sound, Role.PUPIL, year=5, password=None) for _ in range(3)]
    other = factories.user(broken, Role.PUPIL, year=5, password=None)
    db.session.commit()
    ids = {"sound": sound.id, "broken": broken.id}
    pupil_ids, other_id = [p.id for p in people], other.id
    when = datetime(2026, 9, 8, 9, 15)
    db.session.remove()
    downgrade(revision="0012")
    old = _old_chain(ids["sound"], pupil_ids, when)
    _old_chain(ids["broken"], [other_id], when)
    key = chain_audit.chain_key()
    kept = "\n".join(  # heads printed by `aup verify` before the upgrade, kept off the server
        chain_audit.head_line(ids["sound"], "Sound", seq, head, key)
        for seq, head in enumerate(old, start=1)
    )
    factories.drop_insert_only_triggers()
    db.session.execute(
        sa.text("UPDATE acceptance SET ip_address = '10.9.9.9' WHERE school_id = :s"),
        {"s": ids["broken"]},
    )  # a record changed past every guard, before the upgrade
    db.session.commit()
    upgrade()

    rows = db.session.scalars(sa.select(Acceptance).order_by(Acceptance.id)).all()
    moved = [r for r in rows if r.school_id == ids["sound"]]
    assert [(r.hash_rule, r.ip_address, r.user_agent) for r in moved] == [(2, "", "")] * 3
    assert [r.network for r in moved] == ["10.1.2.0/24"] * 3
    assert moved[0].client_digest == minimise.client_digest("10.1.2.1", CHROME)
    assert all(r.record_hash not in old for r in moved)
    left = [r for r in rows if r.school_id == ids["broken"]]
    assert [(r.hash_rule, r.ip_address) for r in left] == [(1, "10.9.9.9")]
    assert acceptance.verify_chain(ids["sound"]).broken_at is None
    assert acceptance.verify_chain(ids["broken"]).broken_at == left[0].id

    heads_file = app.instance_path + "/kept_heads.txt"
    with open(heads_file, "w", encoding="utf-8") as out:
        out.write(kept + "\n")
    result = runner.invoke(args=["aup", "verify", "--heads", heads_file])
    assert "3 kept heads read" in result.output
    assert f"school {ids['sound']} " not in result.stderr  # every old head still checks
    assert f"school {ids['broken']} " in result.stderr  # the broken chain is still reported
    assert result.exit_code == 1

    # after the move, a new acceptance follows on from the rewritten chain by rule 2
    pupil = db.session.get(type(people[0]), pupil_ids[0])
    context = acceptance.Context(99, "10.1.2.1", CHROME)
    new = acceptance.accept(pupil, aups().get("ks2"), context, school_calendar.today())
    assert new and new[0].prev_hash == moved[-1].record_hash
    assert acceptance.verify_chain(ids["sound"]).broken_at is None


def test_a_kept_head_whose_old_record_was_forged_still_fails(app, runner):
    school = factories.school()
    pupils = [factories.user(school, Role.PUPIL, year=5, password=None) for _ in range(2)]
    db.session.commit()
    school_id, pupil_ids = school.id, [p.id for p in pupils]
    db.session.remove()
    downgrade(revision="0012")
    old = _old_chain(school_id, pupil_ids, datetime(2026, 9, 8, 9, 15))
    key = chain_audit.chain_key()
    forged = chain_audit.head_line(school_id, "S", 2, "a" * 64, key)  # never this chain's head
    upgrade()
    found, problems = chain_audit.check_kept_heads(
        chain_audit.head_line(school_id, "S", 1, old[0], key) + "\n" + forged, key
    )
    assert found == 2
    assert [(p.seq, "rewritten" in p.what) for p in problems] == [(2, True)]
