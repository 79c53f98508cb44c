"""Resident memory of one app process (what each gunicorn worker holds) with all content loaded.

Run: .venv/bin/python benchmarks/memory.py

Builds a throwaway SQLite database with the demo, then in this one process: creates the app
(which loads and validates every content file), loads every library, and opens every GET page
as every demo account, so every template is compiled and every cache filled, as in a worker
that has served a while. Prints the resident set size (VmRSS) after each stage and the peak
(VmHWM). Target: under 150 MiB.
"""

from __future__ import annotations

import re
from pathlib import Path

from _common import FAST_HASH, config, database, machine
from flask_migrate import upgrade

from app import create_app
from app.content import aups, guides, lessons, privacy_notices, safe_learning, workshops
from app.demo import school as demo
from app.extensions import db
from tests.pages import all_urls, candidates, client_for

LESSON = "ks2-privacy-passwords-1"
TARGET_MIB = 150


def rss(field: str = "VmRSS") -> float:
    """This process's resident memory in MiB (VmRSS now, or VmHWM: its peak)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1)) / 1024


def main() -> None:
    """Measure after start, after loading content, after opening every page."""
    start = rss()
    with database(None) as url:
        app = create_app(config(url, **FAST_HASH))
        with app.app_context():
            upgrade()
            demo.load()
            db.session.remove()
        created = rss()
        with app.app_context():
            for library in (aups, lessons, guides, workshops, privacy_notices, safe_learning):
                library()
            urls = all_urls(app, candidates([LESSON], LESSON))
        loaded = rss()
        pages = 0
        for account in demo.ACCOUNTS:
            client = client_for(app, account.username)
            for url in urls:
                pages += client.get(url).status_code == 200
        served = rss()
        with app.app_context():
            db.engine.dispose()
    print(f"one app process; {machine()}")
    print(f"  Python and imports:                  {start:6.1f} MiB")
    print(f"  app created, demo loaded:            {created:6.1f} MiB")
    print(f"  every content library loaded:        {loaded:6.1f} MiB")
    print(f"  after {pages} pages as every account: {served:6.1f} MiB")
    peak = rss("VmHWM")
    verdict = "ok" if served < TARGET_MIB else "MISSED"
    print(f"  peak {peak:.1f} MiB; target under {TARGET_MIB} MiB after serving: {verdict}")


if __name__ == "__main__":
    main()
