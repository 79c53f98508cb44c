"""`flask db backup` copies through SQLite's backup API; `flask aup drill` proves a backup sound."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from flask_migrate.cli import db as db_group

from app.content import aups
from app.models import Role
from app.services import acceptance, school_calendar
from app.services.acceptance import Context
from tests import factories

CONTEXT = Context(login_session_id=None, ip_address="203.0.113.9", user_agent="Firefox/128.0")


@pytest.fixture(autouse=True)
def _on_sqlite(databases):
    """SQLite's backup API and drill; said as a skip on PostgreSQL, never silently.

    On PostgreSQL, `flask db backup` refuses and points to pg_dump (app/backup_cli.py).
    """
    if databases.name != "sqlite":
        pytest.skip(
            "SQLite's backup API and restore drill: SQLite runs only (pg_dump on PostgreSQL)"
        )


def _school_with_acceptances(n: int = 3) -> None:
    """A school whose pupils have agreed to their AUP: a chain of n records."""
    school = factories.school()
    pupils = [factories.user(school, Role.PUPIL, year=5, password=None) for _ in range(n)]
    for pupil in pupils:
        acceptance.accept(pupil, aups().get(pupil.audience), CONTEXT, school_calendar.today())


def _backed_up(runner, tmp_path):
    """Heads written by aup verify and a backup taken after them: their paths."""
    _school_with_acceptances()
    heads, backup = tmp_path / "heads.txt", tmp_path / "lantern-backup.db"
    result = runner.invoke(args=["aup", "verify", "--heads-out", str(heads)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(db_group, ["backup", str(backup)])
    assert result.exit_code == 0, result.output
    return heads, backup


def _drill(runner, backup, heads):
    return runner.invoke(args=["aup", "drill", str(backup), "--heads", str(heads)])


def test_a_backup_is_private_sound_and_passes_the_drill(app, runner, tmp_path):
    heads, backup = _backed_up(runner, tmp_path)
    assert "3 acceptances, head" in heads.read_text()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    result = _drill(runner, backup, heads)
    assert result.exit_code == 0, result.output
    assert "Integrity check: ok" in result.output and "Restore drill passed" in result.output


def test_a_corrupted_backup_fails_the_drill(app, runner, tmp_path):
    heads, backup = _backed_up(runner, tmp_path)
    damaged = tmp_path / "damaged.db"
    data = bytearray(backup.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):  # every third page, scribbled
        data[start + 100 : start + 600] = b"\x5a" * 500
    damaged.write_bytes(bytes(data))
    result = _drill(runner, damaged, heads)
    assert result.exit_code != 0
    assert "FAILED: the backup is damaged" in result.output, result.output


def test_a_backup_missing_a_kept_record_fails_the_drill(app, runner, tmp_path):
    """The chain left is sound on its own; only the heads kept outside show it was cut."""
    heads, backup = _backed_up(runner, tmp_path)
    with sqlite3.connect(backup) as conn:  # someone with the file drops the guard, then a row
        guards = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'acceptance'"
        for (name,) in conn.execute(guards).fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("DELETE FROM acceptance WHERE seq = (SELECT max(seq) FROM acceptance)")
    conn.close()
    result = _drill(runner, backup, heads)
    assert result.exit_code == 1
    assert "Integrity check: ok" in result.output
    assert "the chain was cut or removed" in result.output


def test_heads_are_not_written_when_a_check_fails(app, runner, tmp_path):
    heads, _backup = _backed_up(runner, tmp_path)
    kept = tmp_path / "kept.txt"
    kept.write_text(heads.read_text().replace("head ", "head 0", 1)[:-1] + "\n")  # wrong HMAC
    out = tmp_path / "tonight.txt"
    result = runner.invoke(args=["aup", "verify", "--heads", str(kept), "--heads-out", str(out)])
    assert result.exit_code == 1 and not out.exists()


def test_backup_never_overwrites(app, runner, tmp_path):
    _heads, backup = _backed_up(runner, tmp_path)
    before = backup.read_bytes()
    result = runner.invoke(db_group, ["backup", str(backup)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert backup.read_bytes() == before
