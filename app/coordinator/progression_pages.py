"""The progression page: completion and quiz scores by year group and topic, and cohorts."""

from __future__ import annotations

from flask import render_template, request

from app.content import lessons
from app.content.topics import TOPIC_IDS
from app.coordinator import bp
from app.coordinator.routes import chosen_school, page_context
from app.reporting import misconceptions, progression
from app.reporting.charts import cohort_chart
from app.services import school_calendar


@bp.route("/progression")
def progression_page():
    """Figures by year group and topic, each cohort's scores, and misconceptions by year group."""
    school = chosen_school()
    today = school_calendar.today()
    found = progression.progression(school, today)
    cohort = request.args.get("cohort", type=int)
    if cohort not in found.years or cohort == 0:
        cohort = next((year for year in found.years if year > 0), None)
    return render_template(
        "coordinator/progression.html",
        found=found,
        common=misconceptions.by_year_group(school, lessons(), today),
        topics=TOPIC_IDS,
        chart=cohort_chart(found),
        cohort=cohort,
        **page_context(school),
    )
