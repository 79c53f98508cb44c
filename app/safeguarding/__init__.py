"""Safeguarding: pupils report a worry, staff log a concern, the DSL team keeps the incident log.

There is no blueprint guard: pupils, staff and the DSL team reach different pages, so each view
says who may reach it (@allow); the DSL's pages answer 404 to staff outside the DSL team, as
if the log did not exist for them. Nothing here accepts a file or an image.
"""

from flask import Blueprint

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding", template_folder="templates")

from app.safeguarding import loop, routes  # noqa: E402,F401  (their views attach themselves)
