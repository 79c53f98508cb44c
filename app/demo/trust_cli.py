"""`flask demo trust`: generate a large trust to measure (app/demo/trust.py)."""

from __future__ import annotations

import time

import click
from flask import current_app

from app.database import begin_write
from app.extensions import db


@click.command("trust")
@click.option("--schools", default=40, show_default=True, type=click.IntRange(1, 999))
@click.option("--pupils", default=75_000, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option(
    "--years",
    default=1,
    show_default=True,
    type=click.IntRange(1, 30),
    help="School years of history: 1 is this school year so far; each more is a whole year.",
)
@click.option("--seed", default=18, show_default=True, help="The same seed, the same trust.")
@click.option(
    "--password",
    default=None,
    help="Give every generated account this password (hashed once), e.g. for benchmarks.",
)
def trust_command(schools: int, pupils: int, years: int, seed: int, password: str | None) -> None:
    """Generate a trust of SCHOOLS schools and PUPILS pupils with staff, parents and history.

    Only into an empty database or one holding demo data alone, and never in production.
    """
    from app.demo import trust
    from app.services.auth import hash_secret

    if current_app.config["LANTERN_ENV"] == "production":
        raise click.ClickException("A generated trust is never loaded in production.")
    begin_write()
    reason = trust.refusal()
    if reason:
        db.session.rollback()
        raise click.ClickException(reason)
    password_hash = hash_secret(password) if password else None
    started = time.perf_counter()
    with click.progressbar(length=pupils, label="Generating", show_pos=True) as bar:
        summary = trust.generate(
            schools, pupils, years, seed, password_hash=password_hash, advance=bar.update
        )
    seconds = time.perf_counter() - started
    total = sum(summary.rows.values())
    click.echo(f"{schools} schools, {pupils:,} pupils: {total:,} rows in {seconds:.1f} s")
    for table, count in sorted(summary.rows.items()):
        click.echo(f"  {table:<20} {count:>12,}")
