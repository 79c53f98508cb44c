"""Rate limits for every way of signing in."""

from collections.abc import Callable

from flask import g
from flask_limiter.util import get_remote_address

from app.extensions import limiter

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
# A wrong class code from one address: a class of 30 mistyping once or twice each stays well
# inside, and a guesser gets 100 of 148 million codes an hour (and only while one is open).
CLASS_CODE = "20 per minute;100 per hour"
# A wrong parent-letter code from one address, counted like failed sign-ins: a parent mistyping
# a few times is never held up; the codes are 2^54, so the limit only keeps guessing pointless.
PARENT_CODE = "10 per minute;30 per hour"

# Picture passwords are weak by nature: 9 pictures, 3 taps, 729 sequences. One guess takes over
# an account with a chance of 1 in 729, so what matters is how many wrong sequences anyone can
# try in total, not just at one pupil: limits per pupil, per class and per address, all
# counting failed sequences only (a tap that is not the last one, or a success, never counts).
# The case to live with: 30 five-year-olds signing in at once from one classroom's NAT address,
# each getting their pictures wrong two or three times.
# - Per pupil: a child who is wrong 5 times in a minute or 10 times in an hour needs the teacher
#   anyway (and a classmate can lock one child out for an hour at most).
PICTURE_PER_PUPIL = "5 per minute;10 per hour"
# - Per class, for each code the teacher opens: 60 wrong sequences an hour is two each for a
#   class of 30. Past that the class waits, or the teacher ends sign-in and opens a new code
#   (a fresh count, and whoever had the old code is shut out). Someone who has the code can
#   take over an account with a chance of about 60/729 (8%) an hour at most, not 92% as before.
PICTURE_PER_CLASS = "60 per hour"
# - Per address: 120 an hour, two classes' worth on one school address, so the teacher opening
#   new codes one after another cannot give someone in the room unlimited guesses.
PICTURE_PER_ADDRESS = "120 per hour"


# Counting failures only, but BEFORE the response: every POST takes its hit on each limit as it
# arrives (one atomic increment, in Redis when LANTERN_REDIS_URL is set), and gets it back once
# the view has answered without a failure. Counting failures after the response instead (Flask-
# Limiter's deduct_when) let every request already in flight pass the check: of 20 wrong
# passwords fired at once at one account through 4 workers, 14 got through a limit of 5
# (tests/server/test_redis_limits.py). So N requests at once can never try more than
# the limit allows; the price is that a burst of *successful* sign-ins briefly holds places too
# (60 at the same moment from one address, far above what a school's workers serve at once).
# A request that ends in a server error, or a worker killed mid-request, keeps its hit.
COUNTED = "failures:"


def failures_only(limit: str, key_func: Callable[[], str] = get_remote_address):
    """Limit a sign-in form's POSTs by its failed attempts, each counted before the view runs."""
    return limiter.limit(limit, key_func=lambda: COUNTED + key_func(), methods=["POST"])


def give_back(response):
    """Return this request's hits on failures-only limits unless it was a failed attempt."""
    if g.get("sign_in_failed") or response.status_code >= 500:
        return response
    storage = limiter.limiter.storage if limiter.enabled else None
    for hit in limiter.current_limits if storage else ():
        counted = any(str(arg).startswith(COUNTED) for arg in hit.request_args)
        if counted and storage.get(hit.key) > 0:  # not when its window ended meanwhile
            storage.incr(hit.key, hit.limit.get_expiry(), amount=-1)
    return response


# The public receipt check (/verify), counted per address for each well-formed hash looked up.
# A record hash is 64 hex digits, so guessing is hopeless anyway; the limit keeps the page from
# being used to load the database. A school office checking a pile of returned receipts by
# scanning their QR codes stays well inside.
RECEIPT_CHECK = "30 per minute;300 per hour"
