"""`flask roster import`: a school's people and classes from a roster export."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import force_locale

from app.database import begin_write
from app.extensions import db
from app.models import School
from app.rostering import apply as imports
from app.rostering import apply_plan, read_roster
from app.rostering.files import RosterFiles
from app.rostering.records import FORMAT_NAMES
from app.services import audit

STEPS = 6
"""Files read (at most) plus the write: the progress bar's length."""


@click.group("roster")
def roster_group() -> None:
    """A school's people and classes from its MIS (OneRoster CSV or Lantern's CSV)."""


@roster_group.command("import")
@click.option("--school", "urn", required=True, help="The school's URN.")
@click.option("--dry-run", is_flag=True, help="Check and show what would change; change nothing.")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def import_command(urn: str, dry_run: bool, path: Path) -> None:
    """Import (or sync again) a OneRoster export or Lantern's CSV from PATH (folder, zip or CSV).

    The whole export is checked first; any problem is named (file, row, column, reason), nothing
    changes and the exit code is 1.
    """
    with force_locale("en"):  # problems are named in English on the command line
        _import(urn, dry_run, path)


def _import(urn: str, dry_run: bool, path: Path) -> None:
    """Check, compare and (unless a dry run) write one import."""
    school = db.session.scalar(sa.select(School).where(School.urn == urn.strip()))
    if school is None:
        raise click.ClickException(f"No school has the URN {urn!r} (see `flask school list`).")
    with click.progressbar(
        length=STEPS, label=f"Importing into {school.name}", item_show_func=lambda s: s
    ) as bar:
        roster = read_roster(RosterFiles.from_path(path), school.urn, lambda s: bar.update(1, s))
        plan = None
        if not roster.problems:
            if not dry_run:
                # read without the lock (web requests write meanwhile); compare and write under it
                school_id = school.id
                begin_write()
                school = db.session.get(School, school_id)
            plan = imports.plan(school.id, roster)
            if not dry_run:
                bar.update(1, "writing")
                apply_plan(plan)
        roster.problems.sort(key=lambda p: (p.file, p.row or 0, p.column))
    if plan is None:
        for problem in roster.problems:
            click.echo(str(problem), err=True)
        count = len(roster.problems)
        click.echo(f"{count} problem{'s' * (count != 1)}: nothing was imported.", err=True)
        raise SystemExit(1)
    counts = plan.counts()
    click.echo(f"{FORMAT_NAMES[roster.format]} for {school.name} (URN {school.urn})")
    _summary(counts)
    if dry_run:
        _details(plan)
        click.echo("Dry run: nothing was changed.")
        return
    audit.record(
        audit.Event.ROSTER_IMPORTED,
        school.id,
        detail={"added": counts["added"], "updated": counts["updated"], "left": counts["left"],
                "format": roster.format, "method": "command_line"},
    )  # fmt: skip
    db.session.commit()
    click.echo("Imported.")


def _summary(counts: dict[str, int]) -> None:
    """The counts, one kind per line."""
    click.echo(
        f"  added:     {counts['added']} (pupils: {counts['added_pupils']}, "
        f"staff: {counts['added_staff']}, parents: {counts['added_parents']})\n"
        f"  updated:   {counts['updated']} (of whom {counts['returning']} returning)\n"
        f"  left:      {counts['left']}\n"
        f"  unchanged: {counts['unchanged']}\n"
        f"  classes:   {counts['classes_added']} added, {counts['classes_updated']} updated, "
        f"{counts['classes_ended']} ended"
    )


def _details(plan) -> None:
    """Who would be added, updated (and what) and who would leave."""
    for person in plan.added:
        click.echo(f"  + {person.display_name} ({person.role.value})")
    for change in plan.changed:
        click.echo(f"  ~ {change.name}: {', '.join(change.what)}")
    for _user_id, name in plan.left:
        click.echo(f"  - {name} (left)")
