"""Acceptance and photo-consent rows are insert-only in the database itself, not only the ORM

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 22:00:00.000000

AUP acceptances (a per-school hash chain) and photo-consent decisions (a pupil's history) are
evidence: a change is a new row, never an edit. The ORM refused updates and deletes, but any
SQL reaching the database (a console, a script, a bug writing past the ORM) could still
change or remove rows. These triggers refuse every UPDATE and DELETE of those two tables:

- SQLite: one BEFORE UPDATE and one BEFORE DELETE trigger per table, `RAISE(ABORT, ...)`.
- PostgreSQL: one plpgsql function raising an exception, called BEFORE UPDATE OR DELETE of
  each row and BEFORE TRUNCATE. This branch is written to be simple but has NOT been run
  against a PostgreSQL server (none was available when it was written): try it on a copy
  before relying on it.

So deleting a pupil who has consent decisions (whose rows the foreign key would cascade away)
or an account that decided one (set to NULL) is refused too: anonymise such accounts instead.
Whoever owns the tables can still drop the triggers; they stop accidents and writes through
the app, and `flask aup verify` with kept heads catches what is done past them.

A FUTURE MIGRATION THAT REBUILDS `acceptance` OR `photo_consent` (a batch_alter_table on
SQLite copies the table and drops the old one, and SQLite drops a table's triggers with it)
MUST CREATE THESE TRIGGERS AGAIN afterwards (copy create_triggers() from here).
tests/unit/test_insert_only.py fails at head when any of them is missing.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLES = ('acceptance', 'photo_consent')


def create_triggers():
    """Create the insert-only triggers for this database's dialect."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(sa.text(
            "CREATE OR REPLACE FUNCTION lantern_insert_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' rows are insert-only'; "
            "END; "
            "$$ LANGUAGE plpgsql"
        ))
        for table in TABLES:
            op.execute(sa.text(
                f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION lantern_insert_only()"
            ))
            op.execute(sa.text(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION lantern_insert_only()"
            ))
        return
    for table in TABLES:
        for action in ('update', 'delete'):
            op.execute(sa.text(
                f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are insert-only'); END"
            ))


def drop_triggers():
    """Drop the insert-only triggers (downgrade)."""
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}"))
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"))
        op.execute(sa.text("DROP FUNCTION IF EXISTS lantern_insert_only()"))
        return
    for table in TABLES:
        for action in ('update', 'delete'):
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_no_{action}"))


def upgrade():
    create_triggers()


def downgrade():
    drop_triggers()
