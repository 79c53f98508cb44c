"""Coverage pages: the strands (or topics) by year group matrix, its drill-down, the trust total."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from app.content import lessons
from app.coordinator import bp
from app.coordinator.routes import chosen_school, page_context
from app.models.years import YEARS, check_year, key_stage, key_stage_label
from app.reporting import coverage, coverage_detail, statements
from app.services import safeguarding, school_access, school_calendar


def chosen_dimension() -> str:
    """Strands or topics, from ?by= (strands by default); 400 for anything else."""
    by = request.args.get("by", "strand")
    if by not in coverage.DIMENSIONS:
        abort(400)
    return by


def stage_groups() -> list[tuple[str, list[int]]]:
    """Year groups grouped by key stage, for the matrix's two header rows."""
    groups: dict[str, list[int]] = {}
    for year in YEARS:
        groups.setdefault(key_stage(year), []).append(year)
    return [(key_stage_label(years[0]), years) for years in groups.values()]


@bp.route("/coverage")
def coverage_page():
    """The coverage matrix of one school for the current school year."""
    school, by = chosen_school(), chosen_dimension()
    found = coverage.matrix([school], by, school_calendar.today())
    return render_template(
        "coordinator/coverage.html",
        matrix=found,
        stages=stage_groups(),
        trust=None,
        clusters=safeguarding.clusters(school, school_calendar.today()),
        **page_context(school),
    )


@bp.route("/trust/coverage")
def trust_coverage():
    """The coverage matrix totalled over every school of a trust-wide coordinator's trust."""
    if not school_access.sees_trust(current_user):
        abort(404)
    schools, by = school_access.visible_schools(current_user), chosen_dimension()
    found = coverage.matrix(schools, by, school_calendar.today())
    context = page_context(current_user.school)
    return render_template(
        "coordinator/coverage.html", matrix=found, stages=stage_groups(),
        trust=current_user.school.trust,
        **context,
    )  # fmt: skip


@bp.route("/coverage/<int:year>/<key>")
def coverage_cell(year: int, key: str):
    """The lessons and classes behind one cell: who set and taught what, when, and completion."""
    school = chosen_school()
    by = "strand" if key in coverage.keys_for("strand") else "topic"
    if key not in coverage.keys_for(by):
        abort(404)
    try:
        check_year(year)
    except ValueError:
        abort(404)
    found = coverage_detail.detail(school, year, by, key, school_calendar.today())
    return render_template(
        "coordinator/coverage_detail.html", detail=found, by=by, library=lessons(),
        **page_context(school),
    )  # fmt: skip


@bp.route("/coverage/statements")
def coverage_statements():
    """One year group's coverage of every framework statement (?year=, Year 1 by default)."""
    school = chosen_school()
    raw = request.args.get("year", "")
    try:
        year = check_year(int(raw)) if raw else None
    except ValueError:
        abort(404)
    taught_years = sorted({c.year for c in school.classes if c.ended_at is None})
    if year is None:
        year = next((y for y in taught_years if y), taught_years[0] if taught_years else 1)
    found = statements.for_year(school, year, school_calendar.today())
    return render_template(
        "coordinator/coverage_statements.html", found=found, years=YEARS, **page_context(school)
    )
