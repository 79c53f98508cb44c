"""My agreements, printable receipts, and the public page that checks a receipt's record hash."""

from flask import Blueprint

bp = Blueprint("agreements", __name__, template_folder="templates")

from app.agreements import routes  # noqa: E402,F401  (its views attach themselves to bp)
