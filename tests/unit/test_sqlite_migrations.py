"""Migrations on SQLite keep every row: foreign keys off while tables are rebuilt, checked after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from app.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "app" / "migrations"

PROBE = '''"""probe"""
import sqlalchemy as sa
from alembic import op

revision = "probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
{body}


def downgrade():
    pass
'''
REBUILD_USER = """    with op.batch_alter_table("user", recreate="always") as batch:
        batch.add_column(sa.Column("probe", sa.String(10), nullable=True))"""
ORPHAN = """    op.execute("UPDATE login_session SET user_id = 999999 WHERE id = 1")"""


@pytest.fixture(autouse=True)
def _on_sqlite(databases):
    """These tests are about SQLite's own table rebuilds; said as a skip, never silently."""
    if databases.name != "sqlite":
        pytest.skip("SQLite's batch table rebuilds and PRAGMA foreign_keys: SQLite runs only")


def _probe(tmp_path: Path, body: str) -> Path:
    """A copy of the app's migrations with one more, written by the test."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = ScriptDirectory(str(folder)).get_current_head()
    (folder / "versions" / "9999_probe.py").write_text(PROBE.format(head=head, body=body))
    return folder


def _rows() -> dict[str, int]:
    """How many rows each table holds."""
    db.session.rollback()
    names = sa.inspect(db.engine).get_table_names()
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
        for name in names
        if name != "alembic_version"
    }


def _version() -> str:
    return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))


def test_rebuilding_the_user_table_keeps_every_row_of_every_table(
    app, full_demo, login_as, tmp_path
):
    login_as("parent")  # a sign-in session and acceptances, which point at user too
    folder = _probe(tmp_path, REBUILD_USER)
    before = _rows()
    tables = ("photo_consent", "class_pupil", "parent_child", "lesson_progress", "quiz_attempt")
    for table in (*tables, "acceptance", "login_session"):
        assert before[table], f"the demo should have filled {table}"
    db.session.remove()
    upgrade(directory=str(folder))
    after = _rows()
    assert after == before
    assert _version() == "probe"
    assert "probe" in {c["name"] for c in sa.inspect(db.engine).get_columns("user")}


def test_foreign_keys_are_on_again_for_the_app_after_a_migration(app, full_demo, tmp_path):
    upgrade(directory=str(_probe(tmp_path, REBUILD_USER)))
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_migration_that_leaves_a_broken_link_fails_and_changes_nothing(
    app, full_demo, client, login_as, tmp_path, capsys
):
    login_as("pupil.y8")  # a sign-in session to break
    before, version = _rows(), _version()
    db.session.remove()
    with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits 1
        upgrade(directory=str(_probe(tmp_path, ORPHAN)))
    said = capsys.readouterr().err
    assert "1 rows pointing at nothing" in said and "login_session" in said
    assert _rows() == before
    assert _version() == version
    orphans = db.session.scalar(
        sa.text("SELECT COUNT(*) FROM login_session WHERE user_id = 999999")
    )
    assert orphans == 0
