"""Rate limits for every way of signing in."""

from flask import g

PER_ACCOUNT = "5 per minute;20 per hour"
PER_ADDRESS = "60 per minute"  # a whole school often shares one address: failures only
CLASS_CODE = "20 per minute"


def failed(_response) -> bool:
    """Count only failed attempts against the limits, so a class signing in is never slowed."""
    return g.get("sign_in_failed", False)
