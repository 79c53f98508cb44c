"""Rate limits for every way of signing in."""

from flask import g

# At most 60 guesses an hour at one account, against a slow hash; and since a classmate can type
# anyone's username, the longest anyone can lock an account out for is 15 minutes.
PER_ACCOUNT = "5 per minute;15 per 15 minutes"
PER_ADDRESS = "60 per minute"  # a whole school often shares one address: failures only
CLASS_CODE = "20 per minute"


def failed(_response) -> bool:
    """Count only failed attempts against the limits, so a class signing in is never slowed."""
    return g.get("sign_in_failed", False)
