"""On PostgreSQL the app's own role may add evidence rows but never change or delete them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import Role
from app.services import acceptance, school_calendar
from tests import factories

APP_ROLE = "lantern_app_test"
CONTEXT = acceptance.Context(login_session_id=1, ip_address="10.0.0.7", user_agent="pytest")


@pytest.fixture
def app_role(app, databases, runner):
    """A login role granted by `flask database grants --apply`; an engine connected as it."""
    if databases.name != "postgresql":
        pytest.skip("database roles and grants are PostgreSQL's: run with --database postgresql")
    db.session.execute(
        sa.text(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') "
            f"THEN CREATE ROLE {APP_ROLE} LOGIN; END IF; END $$"
        )
    )
    db.session.commit()
    result = runner.invoke(args=["database", "grants", APP_ROLE, "--apply"])
    assert result.exit_code == 0, result.output
    url = db.engine.url.set(username=APP_ROLE)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()
    db.session.execute(sa.text(f"DROP OWNED BY {APP_ROLE}"))
    db.session.commit()


def test_the_app_role_may_insert_and_read_acceptances_but_never_update_or_delete(app, app_role):
    school = factories.school()
    pupil = factories.user(school, Role.PUPIL, year=5, password=None)
    db.session.commit()
    row = acceptance.accept(pupil, aups().get("ks2"), CONTEXT, school_calendar.today())[0]
    with app_role.begin() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM acceptance")) == 1
        connection.execute(sa.text("UPDATE \"user\" SET display_name = 'Renamed'"))
    for statement in (
        "UPDATE acceptance SET ip_address = '192.0.2.1' WHERE id = :id",
        "DELETE FROM acceptance WHERE id = :id",
        "DELETE FROM photo_consent WHERE id = :id",
        "TRUNCATE acceptance",
    ):
        with app_role.connect() as connection:
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                connection.execute(sa.text(statement), {"id": row.id})


def test_grants_are_printed_without_apply(app, databases, runner):
    if databases.name != "postgresql":
        pytest.skip("database roles and grants are PostgreSQL's: run with --database postgresql")
    result = runner.invoke(args=["database", "grants", "lantern_app"])
    assert result.exit_code == 0, result.output
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON" in result.output
    assert '"acceptance"' in result.output and '"photo_consent"' in result.output
    assert "Granted" not in result.output


def test_grants_refuse_sqlite(app, databases, runner):
    if databases.name != "sqlite":
        pytest.skip("SQLite's refusal: runs on SQLite")
    result = runner.invoke(args=["database", "grants", "lantern_app"])
    assert result.exit_code != 0 and "PostgreSQL" in result.output
