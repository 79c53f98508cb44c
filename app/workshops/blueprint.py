"""The workshops blueprint: packs for staff, the public handout and feedback form."""

from flask import Blueprint

bp = Blueprint("workshops", __name__, url_prefix="/workshops", template_folder="templates")
