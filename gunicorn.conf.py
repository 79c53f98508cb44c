"""gunicorn's settings for Lantern; `gunicorn wsgi:app`, run in this folder, reads this file.

Every setting comes from the environment (README, Configuration), so one file serves a laptop
and a trust: `make serve` runs it. Command-line options (-w, -b, ...) still win over it.
"""

import ctypes
import os
import signal
import sys

from app.config import shared_limits_problem

_env = os.environ.get

bind = _env("LANTERN_BIND", "127.0.0.1:8000")
# Sign-in is a deliberately slow password hash (CPU-bound), so processes, not threads, are what
# serve a school at 08:45: one worker per core by default; the threads overlap database waits.
workers = int(_env("LANTERN_WORKERS", str(os.cpu_count() or 1)))
threads = int(_env("LANTERN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(_env("LANTERN_WORKER_TIMEOUT", "30"))  # a worker silent this long is restarted
graceful_timeout = int(_env("LANTERN_GRACEFUL_TIMEOUT", "10"))  # in-flight requests on stop
keepalive = int(_env("LANTERN_KEEPALIVE", "5"))  # behind a proxy that keeps connections open
# Who may set X-Forwarded-Proto for gunicorn (the scheme); the app itself believes
# X-Forwarded-For/Proto/Host only from LANTERN_TRUSTED_PROXIES hops (app/security.py).
forwarded_allow_ips = _env("LANTERN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = _env("LANTERN_ACCESS_LOG", "-") or None  # "-" is stdout (the journal); "" is off
errorlog = _env("LANTERN_ERROR_LOG", "-")
loglevel = _env("LANTERN_LOG_LEVEL", "info")
# No query strings in the access log: a reset link or a class code must not be kept there.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "lantern"
# gunicorn 26+ opens a control socket (gunicornc) in $XDG_RUNTIME_DIR or ~/.gunicorn, shared by
# every gunicorn of the user: off unless LANTERN_CONTROL_SOCKET names a path for this one.
control_socket_disable = not _env("LANTERN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = _env("LANTERN_CONTROL_SOCKET")


def on_starting(server):
    """Refuse to start several workers whose sign-in limits would each count on their own."""
    problem = shared_limits_problem(server.cfg.workers, os.environ)
    if problem:
        raise SystemExit(problem)


def post_fork(server, worker):
    """Have the kernel stop this worker the moment the master dies (kill -9 included).

    gunicorn's own check notices a dead master only between requests, and a gthread worker
    then still serves what it has accepted and its kept-alive connections for the grace
    period: after a kill -9 of the master, workers went on answering for 40 seconds while the
    socket was theirs alone. PR_SET_PDEATHSIG sends SIGTERM (a graceful stop: finish what is
    in flight within graceful_timeout, accept nothing new) as soon as the parent exits.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != server.pid:  # the master died before the line above: stop now
        os.kill(os.getpid(), signal.SIGTERM)
