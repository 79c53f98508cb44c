"""A real redis-server for the tests that share rate limits and caches between workers.

Started once per run on a free local port in a temporary folder, stopped afterwards. Where
redis-server cannot be found the tests that need it fail and say how to get it (`make redis`),
never skip: an untested shared store is how a limit of 5 let 20 guesses through.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.databases import free_port

MISSING = (
    "These tests need a real redis-server and none was found on PATH. Run `make redis` as root "
    "(it installs Debian's redis-server package), or install redis-server yourself, then "
    "run the tests again."
)


def _answers(port: int) -> bool:
    """Whether a Redis server on this port answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """The URL of a throwaway redis-server (no persistence), running for this test session."""
    binary = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin:/usr/bin")
    if binary is None:
        pytest.fail(MISSING, pytrace=False)
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
    args += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
    log = (folder / "redis.log").open("w")
    server = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start: see {folder / 'redis.log'}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture
def redis_db(redis_url) -> str:
    """The shared redis-server, emptied before each test so no count carries over."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    return redis_url
