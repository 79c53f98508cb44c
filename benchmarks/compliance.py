"""How long the coordinator's AUP compliance takes for 1,000 pupils, with and without history.

Builds a fresh migrated SQLite database in a temporary folder: one school of 1,000 pupils in
28 classes, all on each-logon (the pupils' default). Times compliance.report() with no
acceptances, then again after 150,000 historic acceptances of the current AUP (about 150
logons each, less than a school year), and prints both times and their ratio.

Run: .venv/bin/python benchmarks/compliance.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.content import aups  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Acceptance, Role, School, SchoolClass, User, class_pupil, utcnow  # noqa: E402
from app.services import compliance  # noqa: E402
from app.services.acceptance import rebuild_latest  # noqa: E402
from app.services.school_calendar import today as school_today  # noqa: E402

PUPILS = 1_000
ACCEPTANCES = 150_000
REPEAT = 20


def build_school() -> School:
    """One school with 1,000 Year 5 pupils in classes of about 36, inserted in bulk."""
    school = School(name="Benchmark Primary")
    db.session.add(school)
    db.session.flush()
    classes = [SchoolClass(school_id=school.id, name=f"5-{n}", year=5) for n in range(28)]
    db.session.add_all(classes)
    db.session.flush()
    db.session.execute(
        sa.insert(User),
        [
            {
                "school_id": school.id,
                "role": Role.PUPIL,
                "username": f"pupil{n}",
                "display_name": f"Pupil {n:04d}",
                "year": 5,
            }
            for n in range(PUPILS)
        ],
    )
    ids = db.session.scalars(sa.select(User.id).where(User.school_id == school.id)).all()
    db.session.execute(
        sa.insert(class_pupil),
        [{"class_id": classes[n % len(classes)].id, "pupil_id": i} for n, i in enumerate(ids)],
    )
    db.session.commit()
    return school


def add_history(school: School, first: int, last: int) -> None:
    """Acceptances number first..last of the current KS2 AUP, two minutes apart, in bulk.

    Acceptance n is by pupil n % 1,000, so the first 1,000 are one each; 150,000 span about
    208 days. Bulk inserts bypass the ORM hook that keeps the latest-acceptance rows, so they
    are rebuilt afterwards, as the hook would have left them.
    """
    aup = aups().get("ks2")
    pupils = db.session.scalars(sa.select(User.id).where(User.school_id == school.id)).all()
    now = utcnow()
    rows = [
        {
            "seq": seq,
            "school_id": school.id,
            "user_id": pupils[seq % len(pupils)],
            "on_behalf_of_id": None,
            "login_session_id": seq,
            "audience": "ks2",
            "aup_id": aup.id,
            "aup_version": aup.version,
            "locale": "en",
            "text_hash": aup.text_hash,
            "accepted_at": now - timedelta(minutes=2 * (ACCEPTANCES - seq)),
            "ip_address": "127.0.0.1",
            "user_agent": "benchmark",
            "prev_hash": f"{seq - 1:064d}",
            "record_hash": f"{seq:064d}",
        }
        for seq in range(first, last + 1)
    ]
    db.session.execute(sa.insert(Acceptance), rows)
    rebuild_latest(school.id)
    db.session.commit()


def time_report(school: School) -> float:
    """Median seconds for one compliance computation (the coordinator's home and pages)."""
    today = school_today()
    compliance.report(school, today)  # warm caches (content, statements)
    times = []
    for _ in range(REPEAT):
        db.session.expire_all()
        start = time.perf_counter()
        found = compliance.report(school, today)
        times.append(time.perf_counter() - start)
        assert len(found.audiences["ks2"].standings) == PUPILS
    return sorted(times)[len(times) // 2]


def main() -> None:
    """Build the school, time the report as the history grows, print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "benchmark"}
        )
        with app.app_context():
            upgrade()
            school = build_school()
            empty = time_report(school)
            add_history(school, 1, PUPILS)
            once = time_report(school)
            add_history(school, PUPILS + 1, ACCEPTANCES)
            full = time_report(school)
            db.session.remove()
            db.engine.dispose()
    print(f"{PUPILS:,} pupils, median of {REPEAT} compliance reports each:")
    print(f"  {0:>7,} acceptances:            {empty * 1000:7.1f} ms")
    print(f"  {PUPILS:>7,} acceptances (one each): {once * 1000:7.1f} ms")
    print(f"  {ACCEPTANCES:>7,} acceptances:            {full * 1000:7.1f} ms")
    print(f"ratio {ACCEPTANCES:,} / 0 acceptances: {full / empty:.2f}")


if __name__ == "__main__":
    main()
