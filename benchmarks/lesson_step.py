"""A pupil's lesson step against a bare Flask page of the same size with one query: a ratio.

Run: .venv/bin/python benchmarks/lesson_step.py [--requests 300]

Builds a throwaway SQLite database with the demo and signs pupil.y4 in. The bare page is a
minimal Flask app on the same database whose one template is the lesson step's own HTML (the
same bytes) with one value from one query (SELECT count(*) FROM user) put into it. Both are
served through Flask's test client in this one process, in alternating rounds, so the machine's
speed and load cancel out. Prints requests per second (by CPU time, and wall time) for each and
the ratio lesson / bare. Target: at least 0.5.
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa
from _common import FAST_HASH, config, database, machine
from flask import Flask, render_template_string
from flask_migrate import upgrade

from app import create_app
from app.content import lessons
from app.demo import school as demo
from app.extensions import db
from tests.pages import client_for

LESSON = "ks2-privacy-passwords-1"
ROUNDS = 5


def bare_app(url: str, html: str) -> Flask:
    """A minimal Flask app rendering a template of html's size with one query's value in it."""
    bare = Flask("bare")
    engine = sa.create_engine(url)
    marker = "</main>" if "</main>" in html else "</body>"
    source = html.replace("{", "&#123;").replace(marker, "<p>{{ count }}</p>" + marker, 1)

    @bare.route("/")
    def page():
        """The one page: one query, one template."""
        with engine.connect() as conn:
            count = conn.execute(sa.text("SELECT count(*) FROM user")).scalar()
        return render_template_string(source, count=count)

    return bare


def rate(client, url: str, requests: int) -> tuple[float, float]:
    """Seconds of CPU and of wall time for this many GETs of url."""
    started, started_cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return time.process_time() - started_cpu, time.perf_counter() - started


def main() -> None:
    """Sign the pupil in, build the bare app, time both in alternating rounds, print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    per_round = max(1, args.requests // ROUNDS)
    with database(None) as url:
        app = create_app(config(url, **FAST_HASH))
        with app.app_context():
            upgrade()
            demo.load()
            step = lessons().find(LESSON).steps[1].id
            db.session.remove()
        path = f"/pupil/lessons/{LESSON}/{step}"
        pupil = client_for(app, "pupil.y4")
        html = pupil.get(path).get_data(as_text=True)
        bare = bare_app(url, html).test_client()
        size = len(bare.get("/").get_data())
        totals = {"lesson": [0.0, 0.0], "bare": [0.0, 0.0]}
        for _ in range(ROUNDS):
            for name, client, where in (("lesson", pupil, path), ("bare", bare, "/")):
                cpu, wall = rate(client, where, per_round)
                totals[name][0] += cpu
                totals[name][1] += wall
        with app.app_context():
            db.engine.dispose()
    done = per_round * ROUNDS
    print(f"{path} ({len(html.encode()):,} bytes) against a bare page of {size:,} bytes; "
          f"{done} requests each; {machine()}")  # fmt: skip
    cpu_rate = {name: done / t[0] for name, t in totals.items()}
    wall_rate = {name: done / t[1] for name, t in totals.items()}
    for name in totals:
        print(f"  {name:<7} {cpu_rate[name]:7.1f} requests/s of CPU, {wall_rate[name]:7.1f} wall")
    ratio = cpu_rate["lesson"] / cpu_rate["bare"]
    verdict = "ok" if ratio >= 0.5 else "MISSED"
    print(f"ratio lesson / bare: {ratio:.2f} by CPU, "
          f"{wall_rate['lesson'] / wall_rate['bare']:.2f} by wall time "
          f"(target at least 0.5: {verdict})")  # fmt: skip


if __name__ == "__main__":
    main()
