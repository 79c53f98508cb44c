"""Database behaviour that must hold on SQLite and PostgreSQL alike: WAL, locks, write order."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

IMMEDIATE = "lantern_immediate"
"""Execution option: on SQLite, begin the transaction with the write lock already held."""


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record):
    """Turn on WAL, a busy timeout and foreign keys; let SQLAlchemy emit BEGIN itself."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """Emit BEGIN, or BEGIN IMMEDIATE when the transaction asked for the write lock up front."""
    if connection.dialect.name != "sqlite":
        return
    immediate = connection.get_execution_options().get(IMMEDIATE)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(lock_row: sa.Select | None = None) -> None:
    """End the session's read transaction and start one that holds the write lock.

    SQLite: BEGIN IMMEDIATE, so two writers queue (busy timeout) instead of failing.
    PostgreSQL: lock_row (a SELECT of one row) is taken FOR UPDATE to serialise writers.
    """
    db.session.commit()
    db.session.connection(execution_options={IMMEDIATE: True})
    if lock_row is not None and db.session.get_bind().dialect.name != "sqlite":
        db.session.execute(lock_row.with_for_update())
