"""What several workers share: one Redis connection pool per app when LANTERN_REDIS_URL is set.

Rate limits reach Redis through Flask-Limiter (RATELIMIT_STORAGE_URI); this client carries the
rest: the generation numbers that tell every worker a school's published AUPs changed.
"""

from __future__ import annotations

from flask import current_app

_CLIENT = "lantern.redis"


def redis_client():
    """The app's Redis client, or None when LANTERN_REDIS_URL is not set (one process)."""
    url = current_app.config.get("LANTERN_REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get(_CLIENT)
    if client is None:
        import redis  # only installed where Redis is used: pip install '.[redis]'

        # short timeouts: a page waits at most a second for Redis, then does without it
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        current_app.extensions[_CLIENT] = client
    return client
