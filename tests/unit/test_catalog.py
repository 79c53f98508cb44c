"""String extraction really reads every template, so no page silently stays in English."""

import re
from configparser import ConfigParser
from pathlib import Path

from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parents[2]
MARKED = re.compile(r"""\b_\(\s*['"]|\{%-?\s*trans\b""")


def _jinja_options() -> dict:
    """The jinja2 extraction options from translations/babel.cfg, as `make extract` uses them."""
    config = ConfigParser()
    config.read(ROOT / "translations/babel.cfg")
    section = next(name for name in config.sections() if name.startswith("jinja2"))
    return dict(config[section])


def test_every_template_with_marked_strings_yields_them_to_extraction():
    options = _jinja_options()
    silent = []
    for template in sorted(ROOT.glob("app/**/templates/**/*.html")):
        if not MARKED.search(template.read_text(encoding="utf-8")):
            continue
        found = list(extract_from_file("jinja2", str(template), options=options))
        if not found:
            silent.append(str(template.relative_to(ROOT)))
    assert not silent, f"extraction finds no strings in: {silent}"
