"""The app's database connections: timeouts on PostgreSQL, pre-ping on a server, none on SQLite."""

from __future__ import annotations

from app.config import engine_options
from app.extensions import db


def test_postgresql_connections_get_lock_and_idle_timeouts_from_the_environment():
    options = engine_options(
        "postgresql+psycopg://lantern@db/lantern",
        {"LANTERN_DB_LOCK_TIMEOUT": "5", "LANTERN_DB_IDLE_TIMEOUT": "30"},
    )
    assert options["pool_pre_ping"] is True
    said = options["connect_args"]["options"]
    assert "-c lock_timeout=5000" in said
    assert "-c idle_in_transaction_session_timeout=30000" in said


def test_sqlite_needs_no_ping_and_waits_for_the_lock_as_long_as_postgresql_would():
    assert engine_options("sqlite:///lantern.db", {}) == {"connect_args": {"timeout": 15.0}}
    waits = engine_options("sqlite:///lantern.db", {"LANTERN_DB_LOCK_TIMEOUT": "0.5"})
    assert waits == {"connect_args": {"timeout": 0.5}}


def test_the_app_s_own_connections_carry_the_timeouts(app, databases):
    with db.engine.connect() as connection:
        if databases.name == "postgresql":
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "15s"
            idle = connection.exec_driver_sql("SHOW idle_in_transaction_session_timeout")
            assert idle.scalar() == "1min"
        else:  # a file: no server to lose the connection, nothing to time out
            assert db.engine.pool._pre_ping is False
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
