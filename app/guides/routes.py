"""The public guide pages: readable without an account."""

from flask import Blueprint

bp = Blueprint("guides", __name__, url_prefix="/guides", template_folder="templates")
