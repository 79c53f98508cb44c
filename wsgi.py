"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask CLI (`flask --app wsgi`)."""

from app import create_app
from app.content.errors import ContentError

try:
    app = create_app()
except ContentError as error:
    raise SystemExit(f"Lantern cannot start: these content files need fixing:\n{error}") from None
