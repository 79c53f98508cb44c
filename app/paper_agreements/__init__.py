"""Parent AUP agreements given on paper, by phone, email or in person, entered by the office.

Who may enter them: the school's admins (the office, where slips come back) and coordinators
(who run AUP compliance). Teachers may not: each entry is evidence in the school's hash chain
that a parent agreed, so it is kept to the few who answer for that evidence; a teacher hands
the returned slips to the office. Only the signed-in person's own school is reachable, even
for a trust-wide coordinator: the record names them as who entered it, in that school's chain.
"""

from flask import Blueprint

from app.access import require_role
from app.models import Role

bp = Blueprint(
    "paper_agreements", __name__, url_prefix="/paper-agreements", template_folder="templates"
)
bp.before_request(require_role(Role.ADMIN, Role.COORDINATOR))

from app.paper_agreements import pages  # noqa: E402,F401  (its views attach themselves to bp)
