"""Privacy notices, one per audience: public, printable, linked from every page's footer."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy", template_folder="templates")

from app.privacy import routes  # noqa: E402,F401  (its views attach themselves to bp)
