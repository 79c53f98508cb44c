"""Year groups are named by one function, year_label, which templates use as a global."""

from __future__ import annotations

import re
from pathlib import Path

from flask import render_template_string

from app.models.years import year_label

APP = Path(__file__).resolve().parents[2] / "app"
NAMING = re.compile(r"""_l?\(\s*['"](?:Reception|Year %\(n\)s)['"]""")


def test_templates_name_year_groups_through_year_label(app):
    with app.test_request_context():
        text = render_template_string("{{ year_label(0) }} / {{ year_label(7) }}")
    assert text == "Reception / Year 7"
    assert str(year_label(13)) == "Year 13"


def test_no_template_or_module_names_a_year_group_itself():
    sources = [p for p in APP.rglob("*") if p.suffix in (".py", ".html")]
    found = [
        str(path.relative_to(APP))
        for path in sources
        if NAMING.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["models/years.py"]  # year_label itself, and nowhere else
