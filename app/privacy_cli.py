"""Command-line tools for children's data rights: erasing a leaver, applying retention."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, current_app

from app.database import begin_write
from app.extensions import db
from app.models import School, User, utcnow


def init_app(app: Flask) -> None:
    """Register the person and retention commands; refuse unknown LANTERN_RETENTION names."""
    from app.services import retention

    retention.check_overrides(app.config.get("LANTERN_RETENTION", {}))
    app.cli.add_command(person_group)
    app.cli.add_command(retention_group)


@click.group("person")
def person_group() -> None:
    """One person's data."""


@person_group.command("erase")
@click.argument("username")
@click.option(
    "--reason",
    type=click.Choice(["request", "not_needed"]),
    default="request",
    show_default=True,
    help="request: they or their parent asked; not_needed: the school no longer needs it.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(username: str, reason: str, yes: bool) -> None:
    """Erase a person who has left: their names, username and sign-in secrets go for good."""
    from app.services import erasure

    begin_write()
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user is called {username!r}.")
    problem = erasure.why_not(user)
    if problem:
        raise click.ClickException(f"{user.username} cannot be erased: {problem}.")
    if not yes:
        click.confirm(
            f"Erase {user.display_name} ({user.username}, {user.role}) for good?", abort=True
        )
    done = erasure.erase(user, erasure.Reason(reason), actor_id=None)
    db.session.commit()
    changed = ", ".join(f"{table} {n}" for table, n in sorted(done.changed.items()) if n)
    click.echo(f"Erased: now {user.username}. Rows changed or removed: {changed or 'none'}.")
    if done.left_in_published_aups:
        click.echo(
            f"{done.left_in_published_aups} of the school's published AUP texts still name them: "
            "publish a new version without the name."
        )


@click.group("retention")
def retention_group() -> None:
    """How long records are kept."""


@retention_group.command("apply")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted or anonymised.")
def apply(dry_run: bool) -> None:
    """Delete or anonymise what is past its retention period, per record type and school."""
    from app.services import retention

    begin_write()
    names = dict(db.session.execute(sa.select(School.id, School.name)).all())
    lines = retention.apply_all(current_app.config, utcnow(), dry_run)
    verb = "would be " if dry_run else ""
    for record_type in retention.REGISTRY.values():
        days = retention.days_for(record_type, current_app.config)
        if days is None:
            click.echo(f"{record_type.name}: kept ({record_type.action}, no period)")
            continue
        click.echo(
            f"{record_type.name}: {record_type.action} {days} days after {record_type.counted_from}"
        )
        for line in (line for line in lines if line.record_type is record_type):
            school = (
                f"school {line.school_id} ({names[line.school_id]})"
                if line.school_id is not None
                else "no school"
            )
            click.echo(f"  {school}: {line.count} {verb}{record_type.action}")
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was changed.")
    else:
        db.session.commit()
