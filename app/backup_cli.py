"""Backups and restore drills: `flask db backup PATH` and `flask aup drill BACKUP --heads FILE`.

A SQLite database is only ever copied through SQLite's own backup API: a plain file copy of a
live database was corrupt one time in 11, and `aup verify` passed on a copy that `PRAGMA
integrity_check` called malformed. So the drill checks the copy's integrity first, then verifies
every chain in it and compares its heads with heads kept outside the database. PostgreSQL is
backed up with pg_dump and WAL archiving, and drilled by hand (README, Backups).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask_migrate.cli import db as db_group

POSTGRES_BACKUP = (
    "This database is not SQLite: back it up with pg_dump and WAL archiving (README, Backups)."
)


def init_app(app: Flask) -> None:
    """Add `backup` to Flask-Migrate's `db` group and `drill` to the `aup` group."""
    db_group.add_command(backup)
    app.cli.commands["aup"].add_command(drill)


def _sqlite_path(uri: str) -> Path | None:
    """The file of a SQLite database URI; None for any other database."""
    url = sa.engine.make_url(uri)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _private_file(path: Path) -> None:
    """Create an empty file only its owner can read (a backup holds children's data)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database, live or not, through SQLite's backup API into a new file."""
    _private_file(target)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def integrity_problems(path: Path) -> list[str]:
    """What PRAGMA integrity_check and foreign_key_check find wrong in a SQLite file (or [])."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if found == ["ok"]:
            found = []
        keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        found += [f"row {row[1]} of {row[0]} names a missing {row[2]} row" for row in keys]
        return found
    except sqlite3.DatabaseError as error:
        return [f"SQLite cannot read it: {error}"]
    finally:
        conn.close()


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Back up the SQLite database to PATH through SQLite's backup API (safe while serving)."""
    source = _sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if source is None:
        raise click.ClickException(POSTGRES_BACKUP)
    if path.exists():
        raise click.ClickException(f"{path} exists already: choose a new name for each backup.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        copy_sqlite(source, partial)
        problems = integrity_problems(partial)
        if problems:
            raise click.ClickException(f"The copy failed its integrity check: {problems[0]}")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"Backed up {source} to {path} (integrity check: ok)")


@click.command("drill")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--heads",
    "heads_file",
    type=click.File("r", encoding="utf-8"),
    required=True,
    help="Heads kept outside the database (aup verify --heads-out): each must be in the copy.",
)
def drill(backup_file: Path, heads_file) -> None:
    """Restore a SQLite backup into a scratch database and prove it: integrity, chains, heads.

    The backup itself is only read. Exit code 0 when every check passes, 1 otherwise.
    """
    from app import create_app
    from app.cli import verify_all

    with tempfile.TemporaryDirectory(prefix="lantern-drill-") as scratch:
        restored = Path(scratch) / "restored.db"
        try:
            copy_sqlite(backup_file, restored)
        except sqlite3.DatabaseError as error:
            raise click.ClickException(f"{backup_file} cannot be restored: {error}") from error
        click.echo(f"Restored {backup_file} into a scratch database")
        problems = integrity_problems(restored)
        for problem in problems:
            click.echo(f"integrity check: {problem}", err=True)
        if problems:
            click.echo("Restore drill FAILED: the backup is damaged.", err=True)
            raise SystemExit(1)
        click.echo("Integrity check: ok")
        config = {**current_app.config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{restored}"}
        scratch_app = create_app(config)
        with scratch_app.app_context():
            try:
                problems = verify_all(heads_file)
            finally:
                from app.extensions import db

                db.session.remove()
                db.engine.dispose()
    if problems:
        click.echo("Restore drill FAILED: see the problems above.", err=True)
        raise SystemExit(1)
    click.echo("Restore drill passed: integrity, every chain, and the kept heads.")
