"""The privacy notice pages: a list of every audience's notice, and each notice."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.access import open_before_aup, open_to_all
from app.content import privacy_notices
from app.privacy import bp

AUDIENCE_NAMES = {
    "ks1": _l("Pupils in Reception, Year 1 and Year 2"),
    "ks2": _l("Pupils in Years 3 to 6"),
    "secondary": _l("Students in Years 7 to 11"),
    "sixth_form": _l("Sixth form students"),
    "parent": _l("Parents and carers"),
    "staff": _l("Staff"),
    "visitor": _l("Visitors"),
}
"""Who each notice is for, as the list page names them."""


def own_audience() -> str | None:
    """The signed-in reader's audience, None when signed out."""
    return current_user.audience if current_user.is_authenticated else None


@bp.route("/")
@open_to_all
@open_before_aup
def index():
    """Every audience's notice, the reader's own marked."""
    return render_template(
        "privacy/index.html",
        notices=privacy_notices().all(),
        names=AUDIENCE_NAMES,
        own=own_audience(),
    )


@bp.route("/<audience>")
@open_to_all
@open_before_aup
def show(audience: str):
    """One audience's notice, written for the age that reads it."""
    if audience not in AUDIENCE_NAMES:
        abort(404)
    notice = privacy_notices().get(audience)
    return render_template("privacy/show.html", notice=notice, name=AUDIENCE_NAMES[audience])
