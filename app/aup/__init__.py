"""The AUP gate: nobody reaches any page until they have accepted the AUP that is due."""

from flask import Blueprint

bp = Blueprint("aup", __name__, template_folder="templates")

from app.aup import routes, understanding  # noqa: E402,F401  (their views attach to bp)
