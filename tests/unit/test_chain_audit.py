"""`flask aup verify` beyond the chain: texts, schools, people, and heads kept with an HMAC."""

from __future__ import annotations

import os
import stat

import sqlalchemy as sa

from app.content import aups
from app.content.aup import Aup
from app.extensions import db
from app.models import Acceptance, Role, User
from app.models.aup import PublishedAup
from app.services import acceptance, chain_audit, school_calendar, school_settings
from tests import factories

CONTEXT = acceptance.Context(login_session_id=None, ip_address="10.0.0.7", user_agent="pytest")


def _accept(user: User, aup=None) -> Acceptance:
    """Record one acceptance of aup (default: the file's AUP for the user's audience)."""
    aup = aup or aups().get(user.audience)
    return acceptance.accept(user, aup, CONTEXT, school_calendar.today())[0]


def _pupils(n: int, school=None) -> list[User]:
    school = school or factories.school()
    people = [factories.user(school, Role.PUPIL, year=5, password=None) for _ in range(n)]
    db.session.commit()
    return people


def _published(school, by: User):
    """A ks2 AUP of the school's own, in effect today."""
    today = school_calendar.today()
    draft = school_settings.draft_from(aups().get("ks2"), today)
    draft = school_settings.Draft(**{**draft.__dict__, "version": "own.1", "closing": "Ours."})
    aup, problems = school_settings.publish(school, draft, by, today)
    assert not problems
    return aup


def _verify(runner, *args: str):
    return runner.invoke(args=["aup", "verify", *args])


def _rewrite(school_id: int, seq: int, **changes) -> None:
    """Change one record and recompute every hash after it, as an attacker with the database."""
    factories.drop_insert_only_triggers()
    rows = db.session.scalars(
        sa.select(Acceptance).where(Acceptance.school_id == school_id).order_by(Acceptance.seq)
    ).all()
    prev = acceptance.GENESIS
    for row in rows:
        fields = acceptance.hashed_fields(row) | {"prev_hash": prev}
        if row.seq == seq:
            fields |= changes
        prev = acceptance.record_hash(fields)
        stored = {**changes} if row.seq == seq else {}
        stored |= {"prev_hash": fields["prev_hash"], "record_hash": prev, "id": row.id}
        sets = ", ".join(f"{name} = :{name}" for name in stored if name != "id")
        db.session.execute(sa.text(f"UPDATE acceptance SET {sets} WHERE id = :id"), stored)  # noqa: S608
    db.session.commit()
    db.session.expire_all()


def test_genuine_chains_pass_with_each_head_signed(app, runner):
    school, other = factories.school(), factories.school()
    coordinator = factories.user(school, Role.COORDINATOR)
    pupils = _pupils(2, school) + _pupils(1, other)
    db.session.commit()
    own = _published(school, coordinator)
    rows = [_accept(pupils[0]), _accept(pupils[1], own), _accept(pupils[2])]
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    for school_id, seq, row in ((school.id, 2, rows[1]), (other.id, 1, rows[2])):
        mac = chain_audit.head_mac("test-chain-key", school_id, seq, row.record_hash)
        assert f"{seq} acceptances, head {row.record_hash}, hmac {mac}" in result.output


def test_the_demo_school_s_genuine_chain_passes(app, full_demo, login_as, runner):
    login_as("parent")  # an acceptance for each child
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Acceptance))
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert count and f"{count} acceptances, head" in result.output


def test_a_changed_published_text_is_caught(app, runner):
    school = factories.school()
    coordinator = factories.user(school, Role.COORDINATOR)
    pupil = _pupils(1, school)[0]
    row = _accept(pupil, _published(school, coordinator))
    published = db.session.scalar(sa.select(PublishedAup))
    body = {**published.body, "closing": "Something the pupil never saw."}
    db.session.execute(
        sa.update(PublishedAup).values(body=body).where(PublishedAup.id == published.id)
    )
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert (
        f"school {school.id} ({school.name}): its published ks2 AUP version own.1 "
        f"(published_aup {published.id}) does not match its text hash" in result.output
    )
    assert f"seq 1 (acceptance {row.id}): its text hash is not that of ks2 AUP" in result.output


def test_a_published_text_changed_with_its_hash_is_caught_by_the_records(app, runner):
    school = factories.school()
    coordinator = factories.user(school, Role.COORDINATOR)
    row = _accept(_pupils(1, school)[0], _published(school, coordinator))
    published = db.session.scalar(sa.select(PublishedAup))
    changed = Aup.model_validate({**published.body, "closing": "Something the pupil never saw."})
    db.session.execute(
        sa.update(PublishedAup)
        .values(body=changed.model_dump(mode="json"), text_hash=changed.text_hash)
        .where(PublishedAup.id == published.id)
    )
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "published ks2 AUP" not in result.output  # its own hash was recomputed
    assert (
        f"school {school.id} ({school.name}) seq 1 (acceptance {row.id}): its text hash is not "
        "that of ks2 AUP aup-ks2 version own.1 (en)" in result.output
    )


def test_a_file_text_hash_changed_with_the_chain_recomputed_is_caught(app, runner):
    pupils = _pupils(2)
    rows = [_accept(p) for p in pupils]
    _rewrite(pupils[0].school_id, 1, text_hash="f" * 64)
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"seq 1 (acceptance {rows[0].id}): its text hash is not that of ks2 AUP" in (
        result.output
    )
    assert "does not match:" not in result.output  # the chain itself was made whole again


def test_a_record_moved_to_an_unknown_school_is_caught(app, runner):
    pupils = _pupils(2)
    rows = [_accept(p) for p in pupils]
    factories.drop_insert_only_triggers()  # an attacker with full access to the database
    db.session.execute(
        sa.text("UPDATE acceptance SET school_id = 999 WHERE id = :id"), {"id": rows[1].id}
    )
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert (
        f"school 999 (no such school) seq 2 (acceptance {rows[1].id}): names a school that "
        "does not exist" in result.output
    )


def test_a_record_whose_user_moved_school_is_caught(app, runner):
    pupils = _pupils(2)
    other = factories.school()
    db.session.commit()
    rows = [_accept(p) for p in pupils]
    db.session.execute(sa.update(User).values(school_id=other.id).where(User.id == pupils[1].id))
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert (
        f"seq 2 (acceptance {rows[1].id}): its user ({pupils[1].id}) belongs to school "
        f"{other.id} now" in result.output
    )
    assert f"(acceptance {rows[0].id})" not in result.output


def test_a_record_of_a_child_who_moved_school_is_caught(app, runner):
    school, other = factories.school(), factories.school()
    child = factories.user(school, Role.PUPIL, year=5)
    parent = factories.user(school, Role.PARENT)
    parent.children.append(child)
    db.session.commit()
    row = _accept(parent)
    assert row.on_behalf_of_id == child.id
    db.session.execute(sa.update(User).values(school_id=other.id).where(User.id == child.id))
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"(acceptance {row.id}): the child ({child.id}) belongs to school {other.id}" in (
        result.output
    )


def test_a_recomputed_chain_is_caught_against_kept_heads(app, runner, tmp_path):
    pupils = _pupils(3)
    rows = [_accept(p) for p in pupils[:2]]
    heads = tmp_path / "heads.txt"
    heads.write_text(_verify(runner).output)
    _accept(pupils[2])  # the chain grows after the heads were kept: still genuine
    assert _verify(runner, "--heads", str(heads)).exit_code == 0
    _rewrite(pupils[0].school_id, 1, network="192.0.2.0/24")
    assert _verify(runner).exit_code == 0  # every hash recomputed: the chain alone looks sound
    result = _verify(runner, "--heads", str(heads))
    assert result.exit_code == 1
    assert (
        f"seq 2 (acceptance {rows[1].id}): differs from the head kept on file for it"
        in result.output
    )


def test_a_chain_cut_short_is_caught_against_kept_heads(app, runner, tmp_path):
    pupils = _pupils(2)
    _ = [_accept(p) for p in pupils]
    heads = tmp_path / "heads.txt"
    heads.write_text(_verify(runner).output)
    factories.drop_insert_only_triggers()
    db.session.execute(sa.text("DELETE FROM acceptance WHERE seq = 2"))
    db.session.commit()
    result = _verify(runner, "--heads", str(heads))
    assert result.exit_code == 1
    assert "seq 2: is missing, but was the head kept on file" in result.output


def test_a_forged_head_is_refused(app, runner, tmp_path):
    pupil = _pupils(1)[0]
    row = _accept(pupil)
    forged = chain_audit.head_line(pupil.school_id, "x", 1, row.record_hash, "another key")
    heads = tmp_path / "heads.txt"
    heads.write_text(forged + "\n")
    result = _verify(runner, "--heads", str(heads))
    assert result.exit_code == 1
    assert "the head kept on line 1 has a wrong HMAC" in result.output
    heads.write_text("nothing here\n")
    assert "holds no head" in _verify(runner, "--heads", str(heads)).output


def test_acceptances_of_an_earlier_file_version_are_noted_not_failed(app, runner):
    pupil = _pupils(1)[0]
    old = aups().get("ks2").model_copy(update={"version": "2001.1"})
    _accept(pupil, old)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "1 acceptances of ks2 AUP aup-ks2 version 2001.1 (en) not checked" in result.output


def test_the_chain_key_is_made_once_readable_by_the_app_alone(app, runner, tmp_path):
    app.config["LANTERN_CHAIN_KEY"] = None
    app.instance_path = str(tmp_path / "instance")
    row = _accept(_pupils(1)[0])
    first = _verify(runner)
    key_file = tmp_path / "instance" / "chain_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert _verify(runner).output == first.output  # the same key next time
    key = key_file.read_text().strip()
    assert chain_audit.head_mac(key, row.school_id, 1, row.record_hash) in first.output
