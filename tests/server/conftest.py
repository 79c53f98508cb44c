"""Fixtures for the tests that run real servers: redis-server (tests/redis_server.py)."""

from tests.redis_server import redis_db, redis_url  # noqa: F401 (fixtures)
