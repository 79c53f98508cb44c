"""How long coverage, compliance and progression take: one school, or a whole trust.

Run:
    .venv/bin/python benchmarks/reports.py                      # one school, 1,500 pupils, SQLite
    .venv/bin/python benchmarks/reports.py --url URL --trust    # 40 schools, 75,000 pupils

Without --url it builds a throwaway SQLite database in a temporary folder. With --url it uses
that database (e.g. postgresql+psycopg://lantern@127.0.0.1:55437/lantern), generating the trust
into it first when it holds none (`flask demo trust`'s generator, app/demo/trust.py). Prints the
median of several runs of what each coordinator page computes: coverage (coverage.matrix),
compliance (compliance.report), progression (progression.progression with the misconceptions
by year group). For --trust, coverage is the trust matrix over every school and compliance and
progression are summed over every school (a trust lead opening each school's page in turn).
Targets: one school under 100 ms each; the whole trust under 1 s each.
"""

from __future__ import annotations

import argparse

import sqlalchemy as sa
from _common import app_with_trust, database, machine, median_ms

from app.content import lessons
from app.extensions import db
from app.models import School
from app.reporting import coverage, misconceptions, progression
from app.services import compliance, school_calendar


def measure(schools: list[School], repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU milliseconds of each report over these schools."""
    today = school_calendar.today()

    def progress() -> None:
        """Progression and its misconceptions, school by school."""
        for school in schools:
            progression.progression(school, today)
            misconceptions.by_year_group(school, lessons(), today)

    return {
        "coverage": median_ms(lambda: coverage.matrix(schools, "strand", today), repeat),
        "compliance": median_ms(lambda: [compliance.report(s, today) for s in schools], repeat),
        "progression": median_ms(progress, repeat),
    }


def main() -> None:
    """Build or open the database, time the reports, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a database URL (default: a throwaway SQLite file)")
    parser.add_argument("--trust", action="store_true", help="40 schools, 75,000 pupils")
    parser.add_argument("--schools", type=int)
    parser.add_argument("--pupils", type=int)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    schools = args.schools or (40 if args.trust else 1)
    pupils = args.pupils or (75_000 if args.trust else 1_500)
    with database(args.url) as url:
        app = app_with_trust(url, schools, pupils)
        with app.app_context():
            found = db.session.scalars(
                sa.select(School).where(School.urn.like("998%")).order_by(School.id)
            ).all()
            found = found if args.trust else found[:1]
            figures = measure(found, args.repeat)
            db.session.remove()
            db.engine.dispose()
    dialect = url.split(":", 1)[0]
    target = 1000 if args.trust else 100
    print(f"{len(found)} school(s) on {dialect}; median of {args.repeat} runs; {machine()}")
    for name, (wall, cpu) in figures.items():
        verdict = "ok" if wall < target else "MISSED"
        print(f"  {name:<12} {wall:8.1f} ms wall, {cpu:8.1f} ms CPU "
              f"(target under {target} ms: {verdict})")  # fmt: skip


if __name__ == "__main__":
    main()
