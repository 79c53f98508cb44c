"""Database behaviour that must hold on SQLite and PostgreSQL alike: WAL, locks, write order.

One rule for writes on SQLite: a unit of work that writes holds the write lock from its first
statement. A request with a method that changes things (POST, PUT, PATCH, DELETE) begins every
transaction with BEGIN IMMEDIATE, so it reads what it is about to write under the lock and two
writers queue behind the busy timeout instead of one failing. A plain BEGIN would fix the
request's view of the database at its first read (loading the user and the session); if any
other connection committed before its first write, SQLite refuses the write at once with
"database is locked" (SQLITE_BUSY_SNAPSHOT), and the busy timeout cannot help. Reading pages
(GET) keep a plain BEGIN, so readers never wait for writers in WAL mode. Anything else that
writes (the once-a-minute "last seen" note on a GET, a CLI command) asks for the lock with
`begin_write()`. PostgreSQL reads committed data at each statement, so only the places where
order matters (the acceptance chain) lock a row with `begin_write(lock_row)`.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.extensions import db

IMMEDIATE = "lantern_immediate"
"""Execution option: on SQLite, begin the transaction with the write lock already held."""

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Mark each request the app dispatches, so the read-only check applies to real requests."""
    app.before_request(_dispatching)


def _dispatching() -> None:
    """This request is being served (a test's request context alone is not)."""
    g.lantern_dispatching = True


def request_writes() -> bool:
    """Whether the current request is one that may write (any method but GET, HEAD, OPTIONS)."""
    return has_request_context() and request.method not in READ_METHODS


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record):
    """Turn on WAL and foreign keys; let SQLAlchemy emit BEGIN itself.

    The busy timeout is the connection's own (sqlite3's timeout, LANTERN_DB_LOCK_TIMEOUT:
    app.config.engine_options).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """Emit BEGIN IMMEDIATE for a request that writes or a transaction that asked; else BEGIN."""
    if connection.dialect.name != "sqlite":
        return
    immediate = connection.get_execution_options().get(IMMEDIATE) or request_writes()
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@event.listens_for(Session, "before_flush")
def _reads_do_not_write(session, _context, _instances):
    """A page that only reads (GET) must not change rows unless it took the lock first.

    Its transaction began without the write lock, so on SQLite the write could fail at random
    under load; failing here, every time, shows the mistake in the first test that meets it.
    """
    if not (has_request_context() and g.get("lantern_dispatching")):
        return
    if request.method not in READ_METHODS:
        return
    changed = any(session.is_modified(row) for row in session.dirty)
    if not (session.new or session.deleted or changed):
        return
    if not session.connection().get_execution_options().get(IMMEDIATE):
        raise RuntimeError(
            f"{request.method} {request.path} changes rows without the write lock: "
            "make it a POST, or call begin_write() before reading what it writes"
        )


@event.listens_for(Session, "after_commit")
def _note_saved(_session):
    """Remember that this request stored something, so an error page can say so."""
    if has_request_context():
        g.lantern_saved = True


def saved_in_this_request() -> bool:
    """Whether anything this request did was committed before it failed."""
    return bool(g.get("lantern_saved"))


def forget_saved() -> None:
    """Housekeeping writes (the "last seen" note) are not what the person did."""
    g.pop("lantern_saved", None)


def begin_write(lock_row: sa.Select | None = None) -> None:
    """End the session's read transaction and start one that holds the write lock.

    SQLite: BEGIN IMMEDIATE, so two writers queue (busy timeout) instead of failing.
    PostgreSQL: lock_row (a SELECT of one row) is taken FOR UPDATE to serialise writers.
    """
    db.session.commit()
    db.session.connection(execution_options={IMMEDIATE: True})
    if lock_row is not None and db.session.get_bind().dialect.name != "sqlite":
        db.session.execute(lock_row.with_for_update())
