"""CSV exports of coverage, progression, compliance and photo consent, naming school and dates.

Every cell is guarded against CSV (formula) injection by csv_safety.safe_cell.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models.years import YEARS
from app.reporting.coverage import Matrix, Window
from app.reporting.progression import TABLE_PERIODS, Progression
from app.services.compliance import Compliance, ParentCoverage, on_behalf_text
from app.services.consent import PARTS, ClassConsent, decides_own, inherited
from app.services.csv_safety import safe_cell


def to_csv(rows: list[list]) -> str:
    """Rows as CSV text, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def filename(what: str, school_name: str, span: Window) -> str:
    """A download name saying what it is, the school and the dates."""
    slug = re.sub(r"[^a-z0-9]+", "-", school_name.lower()).strip("-") or "school"
    return f"{what}-{slug}-{span.start.isoformat()}-to-{_last_day(span).isoformat()}.csv"


def _last_day(span: Window) -> date:
    """The last day inside a window."""
    return span.end - timedelta(days=1)


def heading(title: str, school_name: str, span: Window) -> list[list]:
    """The first rows of every export: what it is, the school, the date range."""
    return [
        [title],
        [_("School"), school_name],
        [_("From"), span.start.isoformat(), _("To"), _last_day(span).isoformat()],
        [],
    ]


def coverage_rows(school_name: str, matrix: Matrix, names: dict[str, str]) -> list[list]:
    """One row per strand (or topic) and year group: lessons assigned, taught, pupils done."""
    rows = heading(_("Coverage"), school_name, matrix.windows[0])
    rows.append([_("Strand") if matrix.by == "strand" else _("Topic"), _("Year group"),
                 _("Lessons set"), _("Lessons taught"), _("Pupils completed"),
                 _("Pupils"), _("Per cent completed"), _("Status")])  # fmt: skip
    for key in matrix.keys:
        for year in YEARS:
            cell = matrix.cell(key, year)
            rows.append([names[key], year, cell.assigned, cell.taught, cell.completers,
                         cell.pupils, "" if cell.percent is None else cell.percent,
                         cell.state])  # fmt: skip
    return rows


def progression_rows(school_name: str, found: Progression, names: dict[str, str]) -> list[list]:
    """One row per school year, year group and topic: completion and first-attempt average."""
    rows = heading(_("Progression"), school_name, found.windows[0])
    rows.append([_("School year from"), _("Year group"), _("Topic"), _("Pupils"),
                 _("Pupils completed"), _("Per cent completed"), _("First attempts"),
                 _("Average first-attempt score")])  # fmt: skip
    for period in TABLE_PERIODS:
        for then in found.years_then(period):
            for topic, name in names.items():
                f = found.figure(then, topic, period)
                rows.append([found.windows[period].start.isoformat(), then, name, f.pupils,
                             f.completers, _blank(f.completion), f.attempts,
                             _blank(f.average)])  # fmt: skip
    return rows


def compliance_rows(
    found: Compliance,
    span: Window,
    class_names: dict[int, str],
    parents: ParentCoverage | None = None,
) -> list[list]:
    """One row per person (per child for parents): audience, version, standing, last date, and
    for a parent's agreement staff recorded on their behalf, its marking."""
    rows = heading(_("AUP compliance"), found.school.name, span)
    rows.append([_("Audience"), _("AUP version"), _("Name"), _("Class"), _("For child"),
                 _("Accepted current version"), _("Last accepted (current version)"),
                 _("Last accepted (any version)"), _("How")])  # fmt: skip
    for audience, line in found.audiences.items():
        for s in line.standings:
            mark = parents.mark_for(s) if parents and s.accepted else None
            rows.append([audience, line.aup.version, s.person.display_name,
                         class_names.get(s.person.id, ""),
                         s.child.display_name if s.child else "",
                         _("yes") if s.accepted else _("no"),
                         _iso(s.last_current), _iso(s.last_any),
                         on_behalf_text(mark) if mark else ""])  # fmt: skip
    return rows


def parent_agreement_rows(coverage: ParentCoverage) -> list[list]:
    """After a blank row: one row per pupil in each class (and in none), whether a parent or
    carer has agreed, when, and how an agreement entered by staff was obtained."""
    count = _("Pupils whose parent or carer has agreed: %(n)s of %(m)s",
              n=coverage.agreed, m=len(coverage.pupils))  # fmt: skip
    rows = [[], [count]]
    rows.append([_("Pupil"), _("Class"), _("Parent or carer agreed (current version)"),
                 _("Agreed on"), _("How")])  # fmt: skip
    groups = [(c.name, pupils) for c, pupils in coverage.classes] + [("", coverage.unplaced)]
    for name, pupils in groups:
        for line in pupils:
            how = on_behalf_text(line.on_behalf) if line.agreed and line.on_behalf else ""
            rows.append([line.pupil.display_name, name, _("yes") if line.agreed else _("no"),
                         _iso(line.agreed_at), how])  # fmt: skip
    return rows


CONSENT_HEADINGS = {"in_school": _l("In school"), "website": _l("Website"),
                    "social_media": _l("Social media"), "press": _l("Press")}  # fmt: skip
"""Column names of the consent export, one per part asked."""

DECISIONS = {"given": _l("Given"), "refused": _l("Refused"), "withdrawn": _l("Withdrawn")}
"""Decision words of the consent export."""


def consent_rows(school_name: str, today: date, lists: list[ClassConsent]) -> list[list]:
    """One row per pupil: each use's decision, which uses still take the old answer, and who."""
    rows = [[_("Photo consent")], [_("School"), school_name], [_("Date"), today.isoformat()], []]
    rows.append([_("Pupil"), _("Class"), _("Year group"),
                 *(str(CONSENT_HEADINGS[part.value]) for part in PARTS),
                 _("Taken from the earlier answer for all publications"),
                 _("Decides own consent (sixth form)"), _("Consent for every use"),
                 _("Last change")])  # fmt: skip
    for group in lists:
        name = group.school_class.name if group.school_class else ""
        for line in group.pupils:
            cells = [_consent_word(line.parts[part]) for part in PARTS]
            earlier = [str(CONSENT_HEADINGS[p]) for p in PARTS if inherited(line.parts[p], p)]
            rows.append([line.pupil.display_name, name, _blank(line.pupil.year), *cells,
                         "; ".join(earlier), _("yes") if decides_own(line.pupil) else _("no"),
                         _("yes") if line.complete else _("no"),
                         _iso(line.last_change)])  # fmt: skip
    return rows


def _consent_word(row) -> str:
    """A part's decision in words: Given, Refused, Withdrawn or Not answered."""
    return str(DECISIONS[row.decision.value]) if row is not None else _("Not answered")


def _blank(value) -> object:
    """An empty cell for None."""
    return "" if value is None else value


def _iso(when) -> str:
    """A stored time as an ISO date, or '' for none."""
    return when.date().isoformat() if when else ""
