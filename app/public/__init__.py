"""Pages for everyone: the front door, the language switch, the health check, guests."""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from app.public import routes  # noqa: E402,F401  (its views attach themselves to bp)
