"""PostgreSQL grants for the app's own database role: evidence tables are INSERT and SELECT only.

Run as the role that owns the tables (the one `flask db upgrade` connects as), after every
upgrade, since a new table needs its grants. The app then connects as a second role that can
read and write ordinary tables, but can only add rows to the evidence tables (AUP acceptances,
photo consent, safeguarding records): no UPDATE, DELETE or TRUNCATE, whatever SQL reaches it.
The insert-only triggers (migrations 0009, 0013, 0017) refuse those too; the grants make the
refusal independent of triggers an owner could drop.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
INSERT_ONLY_SUFFIX = "_insert_only"
"""The evidence tables are those carrying a `<table>_insert_only` trigger."""


def insert_only_tables() -> list[str]:
    """The tables that carry an insert-only trigger in this database, by name."""
    found = sa.text(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND t.tgname = c.relname || :suffix ORDER BY c.relname"
    )
    return list(db.session.scalars(found, {"suffix": INSERT_ONLY_SUFFIX}))


def statements(app_role: str) -> list[str]:
    """The GRANT and REVOKE statements that give app_role what the app needs and no more."""
    if not ROLE_NAME.match(app_role):
        raise ValueError(f"{app_role!r} is not a plain lower-case role name")
    database = db.session.scalar(sa.text("SELECT current_database()"))
    evidence = insert_only_tables()
    if not evidence:
        raise ValueError("no insert-only tables found: run `flask db upgrade` first")
    listed = ", ".join(f'"{table}"' for table in evidence)
    return [
        f'GRANT CONNECT ON DATABASE "{database}" TO {app_role}',
        f"GRANT USAGE ON SCHEMA public TO {app_role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {app_role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app_role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {listed} FROM {app_role}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {app_role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app_role}",
    ]
