"""Sign-in: passwords, KS1 pictures, sessions, first-logon password change, sign-out."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from app.auth import idle, mfa, parent_letter, pictures, routes  # noqa: E402,F401  (views attach to bp)
