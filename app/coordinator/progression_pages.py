"""The progression page: completion and quiz scores by year group and topic, and cohorts."""

from __future__ import annotations

from flask import render_template

from app.content.topics import TOPIC_IDS
from app.coordinator import bp
from app.coordinator.routes import chosen_school, page_context
from app.reporting import progression
from app.reporting.charts import cohort_chart
from app.services import school_calendar


@bp.route("/progression")
def progression_page():
    """This year's and last year's figures by year group and topic, and each cohort's scores."""
    school = chosen_school()
    found = progression.progression(school, school_calendar.today())
    return render_template(
        "coordinator/progression.html",
        found=found,
        topics=TOPIC_IDS,
        chart=cohort_chart(found),
        **page_context(school),
    )
