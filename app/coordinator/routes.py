"""The coordinator's home page and what every coordinator page shares: the chosen school."""

from flask import abort, render_template, request
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.coordinator import bp
from app.ids import parse_id
from app.models import Frequency, School
from app.services import school_access, school_calendar
from app.services.compliance import audience_summary


def chosen_school() -> School:
    """The school named by ?school= (the coordinator's own by default); 404 if not theirs to see."""
    raw = request.args.get("school", "")
    try:
        school_id = parse_id(raw) if raw else None
    except ValueError:
        abort(404)
    return school_access.school_for(current_user, school_id)


def page_context(school: School) -> dict:
    """What every coordinator page shows around its figures: the school and the school picker.

    `school_args` are the query arguments that keep a trust-wide coordinator on the school they
    chose (none for their own school); every link to another coordinator page passes them on.
    """
    return {
        "school": school,
        "school_args": {"school": school.id} if school.id != current_user.school_id else {},
        "schools": school_access.visible_schools(current_user),
        "today": school_calendar.today(),
    }


FREQUENCY_LABELS = {
    Frequency.EACH_LOGON: _l("At each sign-in"),
    Frequency.PER_VERSION: _l("Once per version"),
    Frequency.PER_SCHOOL_YEAR: _l("Once per version and school year"),
}


@bp.context_processor
def _labels() -> dict:
    """Names for AUP frequencies and audiences, for the coordinator's templates."""
    return {"frequency_label": FREQUENCY_LABELS.get}


@bp.app_template_filter("day")
def day_filter(value) -> str:
    """A date (or a time's date) as people write it, in the user's language; '' for none."""
    if value is None:
        return ""
    return format_date(value.date() if hasattr(value, "date") else value, "d MMM yyyy")


@bp.route("/")
def home():
    """Who has accepted the current AUP, per audience, for the chosen school."""
    school = chosen_school()
    summary = audience_summary(school, school_calendar.today())
    return render_template("coordinator/home.html", summary=summary, **page_context(school))
