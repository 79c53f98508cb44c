"""The workshop pages parents open without signing in: the feedback form and the handout.

Apart from the staff workshops blueprint so that one guards itself once; these pages are open
to everyone, before any AUP too. Their templates sit with the other workshop templates.
"""

from flask import Blueprint

from app.workshops.labels import labels

bp = Blueprint("workshops_public", __name__, url_prefix="/workshops")
bp.context_processor(labels)

from app.workshops.public import routes  # noqa: E402,F401  (its views attach themselves to bp)
