"""Home-safety guides for parents and carers: public, printable, in several languages."""

from flask import Blueprint

bp = Blueprint("guides", __name__, url_prefix="/guides", template_folder="templates")

from app.guides import routes  # noqa: E402,F401  (its views attach themselves to bp)
