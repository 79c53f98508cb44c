"""Workshop packs for staff, the public feedback form, and the answers for coordinators."""

from flask import Blueprint

bp = Blueprint("workshops", __name__, url_prefix="/workshops", template_folder="templates")
