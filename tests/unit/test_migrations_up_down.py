"""Every migration runs down to the first and up to head again, with the demo's data in the tables.

Runs on the run's database: SQLite, and PostgreSQL with --database postgresql (where the
migrations' PostgreSQL branches, the insert-only triggers among them, run for real).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests import factories

MIGRATIONS = Path(__file__).resolve().parents[2] / "app" / "migrations"
FIRST = "0001"


def row_counts() -> dict[str, int]:
    """How many rows each table holds now."""
    db.session.rollback()
    names = sa.inspect(db.engine).get_table_names()
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
        for name in names
        if name != "alembic_version"
    }


def _version() -> str:
    """The revision the database is at."""
    return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))


def test_down_to_the_first_migration_and_up_again_keeps_the_first_tables_rows(
    app, full_demo, login_as
):
    login_as("parent")  # a sign-in session and acceptances too
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert _version() == head
    before = row_counts()
    for table in ("acceptance", "photo_consent", "lesson_progress", "quiz_attempt", "user"):
        assert before[table], f"the demo should have filled {table}"
    db.session.remove()

    downgrade(revision=FIRST)
    assert _version() == FIRST
    first_tables = row_counts()
    assert set(first_tables) < set(before)  # later migrations' tables are gone
    db.session.remove()

    upgrade()
    assert _version() == head
    after = row_counts()
    for table, count in first_tables.items():  # what the first migration made keeps every row
        assert after[table] == count == before[table], table
    # the evidence tables are insert-only again at head
    assert factories.expected_insert_only_triggers() <= set(factories.triggers())
