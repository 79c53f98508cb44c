"""Domain errors that services raise when a user may not reach what they asked for.

Services raise these instead of HTTP errors (they know nothing of requests); the app maps them
to the 404 and 403 pages in one error handler (app.security).
"""

from __future__ import annotations


class Refused(Exception):
    """The user may not have what they asked for; code is the HTTP status a page answers with."""

    code = 403


class NotFound(Refused):
    """Missing, or as good as missing: another school's record is never admitted to exist."""

    code = 404


class Forbidden(Refused):
    """It exists and the user may know it does, but it is not theirs (a colleague's class)."""

    code = 403
