"""Pupils signing in under gunicorn: the flow's throughput against the password hash, or a rush.

Run:
    .venv/bin/python benchmarks/signin.py                 # throughput ratio (target >= 0.7)
    .venv/bin/python benchmarks/signin.py --rush          # 1,500 pupils within one minute

Builds a throwaway SQLite database holding one generated school of 1,500 pupils, every one with
the same password (one hash, so building is quick; each sign-in still checks it in full with
the real default hash), and serves it with gunicorn (--workers, --threads) on a free local port.
Each flow is what a pupil does at 08:45: open the sign-in page, sign in, open the AUP, agree,
open their home page (five requests, one password check).

Throughput: --clients threads run flows back to back for --seconds; flows per second are
compared with the machine's own password-hash throughput, measured in the same run with as
many processes as gunicorn has workers checking the same hash: the physical limit of a
sign-in. Rush: the 1,500 pupils start their flows at random times spread over one minute (as a
school arriving); prints p50/p95/max per request, the flows finished within the minute and
errors. Rate limits are off (every client comes from 127.0.0.1, like a school behind one NAT
address would need an allow-list): it is the app's capacity being measured, not the limiter.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from _common import PASSWORD, ROOT, app_with_trust, database, machine

HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR = re.compile(r'(name|value)="([^"]*)"')


def free_port() -> int:
    """A free local TCP port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One pupil's browser: a connection, cookies, and request timings."""

    def __init__(self, port: int, timings: list[float], deadline: float | None = None) -> None:
        """Connect to the server; a request after deadline (perf_counter) gives up instead."""
        self.port, self.cookies, self.timings, self.deadline = port, {}, timings, deadline
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """One request; returns status, Location header and body."""
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise TimeoutError("gave up: not signed in two minutes after the rush began")
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        self.timings.append(time.perf_counter() - started)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def flow(self, username: str) -> None:
        """Sign in, agree to the AUP, open home: raises on anything unexpected."""
        status, _, page = self.request("GET", "/sign-in")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = {"username": username, "password": PASSWORD, "csrf_token": token}
        status, where, _ = self.request("POST", "/sign-in", form)
        if status != 303:
            raise RuntimeError(f"sign-in answered {status}")
        status, _, page = self.request("GET", "/aup")
        if status != 200:
            raise RuntimeError(f"/aup answered {status}")
        form = dict(_hidden(page))
        status, where, _ = self.request("POST", "/aup/accept", form)
        if status != 303:
            raise RuntimeError(f"agreeing answered {status}")
        status, _, _ = self.request("GET", urllib.parse.urlsplit(where).path or "/")
        if status not in (200, 302, 303):
            raise RuntimeError(f"home answered {status}")
        self.conn.close()


def _hidden(page: str) -> list[tuple[str, str]]:
    """The hidden fields of the first form on a page."""
    fields = []
    form = page[page.index("<form") :]
    form = form[: form.index("</form>")]
    for tag in HIDDEN.findall(form):
        attrs = dict(ATTR.findall(tag))
        fields.append((attrs.get("name", ""), attrs.get("value", "")))
    return fields


def hash_rate(processes: int, seconds: float) -> float:
    """Password checks per second with this many processes, each checking the real hash."""
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        counts = pool.map(_checks, [seconds] * processes)
    return sum(counts) / seconds


def _checks(seconds: float) -> int:
    """How many checks of a default-method password hash one process makes in seconds."""
    from werkzeug.security import check_password_hash, generate_password_hash

    hashed = generate_password_hash(PASSWORD)
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        check_password_hash(hashed, PASSWORD)
        done += 1
    return done


def serve(url: str, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    """Start gunicorn on the database; return the process and its port once it answers."""
    port = free_port()
    env = {**os.environ, "LANTERN_DATABASE_URL": url, "LANTERN_SECRET_KEY": "benchmark",
           "LANTERN_CHAIN_KEY": "benchmark", "LANTERN_RATELIMIT": "0",
           "LANTERN_MFA_REQUIRED": "0", "LANTERN_ENV": "development"}  # fmt: skip
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads),
               "-b", f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def usernames(url: str) -> list[str]:
    """The generated pupils' usernames."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = conn.execute(
            sa.text("SELECT username FROM user WHERE role = 'PUPIL' ORDER BY id")
        ).scalars()
        return list(names)


def throughput(port: int, names: list[str], clients: int, seconds: float) -> tuple[int, int]:
    """Flows finished and failed by clients threads running back to back for seconds."""
    queue, lock = iter(names), threading.Lock()
    done, failed, end = [0], [0], time.perf_counter() + seconds

    def run() -> None:
        """Run flows until time is up."""
        while time.perf_counter() < end:
            with lock:
                name = next(queue, None)
            if name is None:
                return
            try:
                Browser(port, []).flow(name)
                done[0] += 1
            except Exception:  # noqa: BLE001 - counted as an error, the run goes on
                failed[0] += 1

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0], failed[0]


def rush(port: int, names: list[str], window: float, seed: int = 845) -> None:
    """Every pupil starts a flow at a random moment within the window; print the figures."""
    rng = random.Random(seed)  # noqa: S311 - arrival times, not secrets
    starts = sorted(rng.uniform(0, window) for _ in names)
    timings: list[float] = []
    errors, finished_in_time = [], [0]
    began = time.perf_counter()
    give_up = began + 2 * window  # a pupil still waiting after two minutes counts as an error

    def one(name: str, at: float) -> None:
        """Wait for this pupil's moment, then sign in."""
        time.sleep(max(0.0, began + at - time.perf_counter()))
        try:
            Browser(port, timings, give_up).flow(name)
            if time.perf_counter() - began <= window:
                finished_in_time[0] += 1
        except Exception as error:  # noqa: BLE001 - counted and named, the run goes on
            errors.append(repr(error)[:80])

    with ThreadPoolExecutor(max_workers=200) as pool:
        for name, at in zip(names, starts, strict=True):
            pool.submit(one, name, at)
    took = time.perf_counter() - began
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    print(f"{len(names):,} pupils starting within {window:.0f} s; all done after {took:.1f} s")
    print(f"  requests: {len(timings):,}; per request p50 {statistics.median(ordered) * 1000:.0f}"
          f" ms, p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")  # fmt: skip
    print(f"  flows finished within the minute: {finished_in_time[0]:,}; errors: {len(errors)}"
          " (a pupil not signed in two minutes after the rush began is one)")  # fmt: skip
    for error, count in sorted({e: errors.count(e) for e in errors}.items())[:5]:
        print(f"    {count} x {error}")


def _stop(signum, frame) -> None:
    """On SIGTERM (e.g. from timeout), exit through the finally that stops gunicorn."""
    raise SystemExit(1)


def main() -> None:
    """Build the school, start gunicorn, measure, stop it."""
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rush", action="store_true")
    parser.add_argument("--pupils", type=int, default=1_500)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with database(None) as url:
        app_with_trust(url, 1, args.pupils, password=True)
        names = usernames(url)
        server, port = serve(url, args.workers, args.threads)
        try:
            Browser(port, []).flow(names.pop())  # warm up: templates compiled, content loaded
            print(f"gunicorn -w {args.workers} --threads {args.threads}; {machine()}")
            if args.rush:
                rush(port, names, 60.0)
            else:
                limit = hash_rate(args.workers, 5.0)
                started = time.perf_counter()
                done, failed = throughput(port, names, args.clients, args.seconds)
                rate = done / (time.perf_counter() - started)
                ratio = rate / limit
                verdict = "ok" if ratio >= 0.7 else "MISSED"
                print(f"  password checks: {limit:.1f}/s with {args.workers} processes")
                print(f"  sign-in + AUP + home flows: {rate:.1f}/s ({done} done, {failed} failed)")
                print(
                    f"ratio flows / password checks: {ratio:.2f} (target at least 0.7: {verdict})"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
