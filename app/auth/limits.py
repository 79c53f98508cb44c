"""Rate limits for every way of signing in."""

from flask import g

# Password sign-in counts failures per account *and* address, plus a slower ceiling per account
# from anywhere. Counting per account alone let anyone who knows a username (a pupil knows their
# teacher's, and the DSL's) keep that person out indefinitely with a few wrong passwords every
# quarter of an hour. Now wrong passwords from one machine lock that account on that machine
# only: at most 60 guesses an hour from one address, against a slow hash, and the ceiling stops
# a spray from many addresses at 200 an hour. The trade-off: locking someone out now needs at
# least four addresses guessing flat out for an hour; and where a whole school reaches Lantern
# through one public address (set LANTERN_TRUSTED_PROXIES when a proxy passes each machine's
# own), a pupil there still shares the teacher's address, so can hold them up at school for 15
# minutes at a time, but not from home or another network.
PER_ACCOUNT_AND_ADDRESS = "5 per minute;15 per 15 minutes"
PER_ACCOUNT_ANYWHERE = "200 per hour"
# Picture passwords (729 of them, pupils only) and the current password when changing it stay
# counted per account alone: a weak secret needs the tighter limit, and only its owner (or the
# class) is held up.
PER_ACCOUNT = "5 per minute;15 per 15 minutes"
PER_ADDRESS = "60 per minute"  # a whole school often shares one address: failures only
CLASS_CODE = "20 per minute"


def failed(_response) -> bool:
    """Count only failed attempts against the limits, so a class signing in is never slowed."""
    return g.get("sign_in_failed", False)
