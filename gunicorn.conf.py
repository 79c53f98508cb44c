"""gunicorn's settings for Lantern; `gunicorn wsgi:app`, run in this folder, reads this file."""

import os

from app.config import shared_limits_problem


def on_starting(server):
    """Refuse to start several workers whose sign-in limits would each count on their own."""
    problem = shared_limits_problem(server.cfg.workers, os.environ)
    if problem:
        raise SystemExit(problem)
