"""The public guide pages: readable without an account, printable, in several languages."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import lazy_gettext as _l

from app.access import open_to_all
from app.content import guides
from app.guides import bp
from app.i18n import LANGUAGE_NAMES

GROUPS = (
    ("band", _l("By age")),
    ("topic", _l("By topic")),
    ("practical", _l("Practical help")),
)
"""The index's groups in order: each guide kind and its heading."""


@bp.route("/")
@open_to_all
def index():
    """Every guide, grouped by age, topic and practical help, with its languages."""
    library = guides()
    groups = [(kind, label, [g for g in library.all() if g.kind == kind]) for kind, label in GROUPS]
    return render_template(
        "guides/index.html", groups=groups, library=library, language_name=_language_name
    )


@bp.route("/<guide_id>", defaults={"locale": "en"})
@bp.route("/<guide_id>/<locale>")
@open_to_all
def show(guide_id: str, locale: str):
    """One guide in one language; /guides/<id>/en redirects to /guides/<id>."""
    library = guides()
    if locale not in library.locales(guide_id):
        abort(404)
    return render_template(
        "guides/show.html",
        guide=library.get(guide_id, locale),
        locales=library.locales(guide_id),
        language_name=_language_name,
    )


def _language_name(locale: str) -> str:
    """A language's name in that language, such as 'Polski' for pl."""
    return LANGUAGE_NAMES.get(locale, locale)
