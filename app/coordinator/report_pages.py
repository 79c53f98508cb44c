"""The governors' report (a printable page) and the CSV exports."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask_babel import lazy_gettext as _l

from app import auditing
from app.content.strands import STRANDS
from app.content.topics import TOPICS
from app.coordinator import bp
from app.coordinator.coverage_pages import chosen_dimension, stage_groups
from app.coordinator.routes import chosen_school, page_context
from app.models import School
from app.models.years import key_stage_label
from app.reporting import coverage, progression
from app.reporting import exports as reports
from app.reporting.charts import cohort_chart
from app.services import audit, compliance, safeguarding, school_calendar, understanding


@bp.route("/report")
def report():
    """Coverage, progression and compliance for governors, on one printable page."""
    school, today = chosen_school(), school_calendar.today()
    found = progression.progression(school, today)
    summary = compliance.report(school, today)
    return render_template(
        "coordinator/report.html",
        matrix=coverage.matrix([school], "strand", today),
        stages=stage_groups(),
        found=found,
        summary=summary,
        understood=understanding.figures_for(summary, today),
        pupil_audiences=compliance.PUPIL_AUDIENCES,
        parents=compliance.parent_coverage(summary),
        chart=cohort_chart(found),
        incidents=safeguarding.governors_counts(school, today),
        incident_rows=_incident_rows(),
        shown_count=safeguarding.shown_count,
        term_names=TERM_NAMES,
        **page_context(school),
    )


TERM_NAMES = {"autumn": _l("Autumn term"), "spring": _l("Spring term"), "summer": _l("Summer term")}
STAGE_YEARS = {"EYFS": 0, "KS1": 1, "KS2": 3, "KS3": 7, "KS4": 10, "KS5": 12}
"""A year group of each key stage, to name the stage with key_stage_label."""


def _incident_rows() -> list[tuple[str, str, object]]:
    """The rows of the incidents table: (dimension, key, label), categories then key stages."""
    rows = [("category", key, label) for key, label in safeguarding.CATEGORIES.items()]
    rows.append(("category", "none", _l("Category not yet set")))
    return rows + [("stage", key, key_stage_label(year)) for key, year in STAGE_YEARS.items()]


@bp.route("/export/<what>.csv")
def export(what: str):
    """A CSV of coverage, progression or compliance, naming the school and the dates."""
    school, today = chosen_school(), school_calendar.today()
    makers = {"coverage": _coverage_csv, "progression": _progression_csv,
              "compliance": _compliance_csv}  # fmt: skip
    if what not in makers:
        abort(404)
    rows, span = makers[what](school, today)
    text, name = reports.to_csv(rows), reports.filename(what, school.name, span)
    auditing.note(
        audit.Event.EXPORT,
        school.id,
        detail={"export": what},
    )
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _names(by: str) -> dict[str, str]:
    """Strand names or topic labels by key, as text in the user's language."""
    if by == "strand":
        return {s.code: str(s.name) for s in STRANDS}
    return {t.id: str(t.label) for t in TOPICS}


def _coverage_csv(school: School, today) -> tuple:
    """Coverage rows and their window."""
    by = chosen_dimension()
    matrix = coverage.matrix([school], by, today)
    return reports.coverage_rows(school.name, matrix, _names(by)), matrix.windows[0]


def _progression_csv(school: School, today) -> tuple:
    """Progression rows and their window."""
    found = progression.progression(school, today)
    return reports.progression_rows(school.name, found, _names("topic")), found.windows[0]


def _compliance_csv(school: School, today) -> tuple:
    """Compliance rows and their window (the current school year)."""
    found = compliance.report(school, today)
    classes = {s.person.id: c.name for c, rows in found.classes for s in rows}
    span = coverage.window(school, today)
    parents = compliance.parent_coverage(found)
    rows = reports.compliance_rows(found, span, classes, parents)
    return rows + (reports.parent_agreement_rows(parents) if parents else []), span
