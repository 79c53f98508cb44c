"""How long `flask roster import` takes: one 1,500-pupil school, and a 75,000-pupil trust.

Builds a fresh migrated SQLite database in a temporary folder, writes a made-up OneRoster 1.2
export with benchmarks/roster_export.py, and times the import command (reading, checking,
comparing and writing) as a school's admin would run it: first the initial import, then the
same export again (a nightly sync that changes nothing). With --trust it writes one 40-school
export of 75,000 pupils (with 7,600 staff, 125,000 parents, 3,000 classes) and imports every
school from it in turn, printing the peak memory after each school, which must stay flat.

Run: .venv/bin/python benchmarks/roster_import.py [--trust]
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import roster_export  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import School  # noqa: E402


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(runner, urn: str, export: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds one `flask roster import` took; stops the run if it failed.

    CPU time is printed too because the machine is shared: wall time includes waiting for a core.
    """
    start, cpu = time.perf_counter(), time.process_time()
    result = runner.invoke(args=["roster", "import", "--school", urn, str(export)])
    seconds = time.perf_counter() - start, time.process_time() - cpu
    if result.exit_code != 0:
        raise SystemExit(f"import failed: {result.output}")
    return seconds


def main() -> None:
    """Build the database and export, then time the imports."""
    trust = "--trust" in sys.argv
    folder = Path(tempfile.mkdtemp(prefix="lantern-roster-bench-"))
    schools = 40 if trust else 1
    sizes = (1875, 190, 3125, 75) if trust else (1500, 150, 2500, 60)
    start = time.perf_counter()
    roster_export.write(folder / "export", schools, *sizes)
    took = time.perf_counter() - start
    print(f"export of {schools} school(s) written in {took:.1f} s", flush=True)
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
        "SECRET_KEY": "benchmark", "LANTERN_CHAIN_KEY": "benchmark",
    })  # fmt: skip
    with app.app_context():
        upgrade()
        db.session.add_all(
            School(name=f"Benchmark School {s + 1}", urn=str(900001 + s)) for s in range(schools)
        )
        db.session.commit()
        runner = app.test_cli_runner()
        print(f"before importing: peak memory {peak_mb():.0f} MB")
        total = cpu_total = 0.0
        for s in range(schools):
            seconds, cpu = timed_import(runner, str(900001 + s), folder / "export")
            total, cpu_total = total + seconds, cpu_total + cpu
            if not trust or s % 5 == 4 or s == 0:
                print(f"school {s + 1}: first import {seconds:.2f} s (CPU {cpu:.2f} s), "
                      f"peak {peak_mb():.0f} MB", flush=True)  # fmt: skip
        print(f"first import of every school: {total:.1f} s (CPU {cpu_total:.1f} s)")
        seconds, cpu = timed_import(runner, "900001", folder / "export")
        print(f"school 1 imported again, nothing changed: {seconds:.2f} s (CPU {cpu:.2f} s), "
              f"peak {peak_mb():.0f} MB")  # fmt: skip
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
