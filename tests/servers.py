"""Real server processes for tests: gunicorn serving the app on the test database, and the
task worker beside it."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parent.parent


def database_url(settings_dict) -> str:
    host = quote(settings_dict["HOST"] or "localhost", safe="")
    user = quote(settings_dict["USER"] or "", safe="")
    password = (
        f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict.get("PASSWORD") else ""
    )
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(settings_dict, extra_env) -> dict:
    """Local mode unless `extra_env` sets LOCAL_DEVELOPMENT=0 and production's variables."""
    return {
        **{key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}},
        "LOCAL_DEVELOPMENT": "1",
        "DATABASE_URL": database_url(settings_dict),
        "DATABASE_POOL_MIN": "1",
        **(extra_env or {}),
    }


@contextmanager
def task_worker(settings_dict, *, extra_env=None):
    """`manage.py db_worker` on the given database, looking for tasks every tenth of a
    second; stopped on leaving."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=_environment(settings_dict, extra_env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        _stop(process)


def _stop(process) -> None:
    """A quick shutdown: a test leaves no request in flight, and SIGTERM's graceful stop
    waits out --graceful-timeout for connections the test's clients keep alive."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def gunicorn(settings_dict, *, extra_env=None, workers=1, config=None):
    """A gunicorn process on a free port, on the given database; yields its base URL.

    Local mode unless `extra_env` sets LOCAL_DEVELOPMENT=0 and production's variables."""
    env = _environment(settings_dict, extra_env)
    # Another test process may take the same free port first: then start again on another.
    # The log is a file, not a pipe: a full pipe would stop the server mid-test.
    with tempfile.TemporaryFile() as log:
        for _attempt in range(3):
            port = free_port()
            process = _start(port, env, workers, log, config)
            base = f"http://127.0.0.1:{port}"
            if _answers(process, base):
                break
            # Not answering (a port taken, or a worker that cannot boot): a master left
            # running would start workers again and again for the rest of the run.
            process.kill()
            process.wait()
        else:
            log.seek(0)
            raise RuntimeError(f"gunicorn did not start: {log.read().decode()}")
        try:
            yield base
        finally:
            _stop(process)


def _start(port, env, workers, log, config):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *(["--config", config] if config else []),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "30",
            "--graceful-timeout",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def _answers(process, base) -> bool:
    deadline = time.monotonic() + 90  # a busy CI machine starts slowly
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=5).ok:
                return True
        except requests.RequestException:  # not listening yet, or still loading the app
            pass
        time.sleep(0.2)
    process.kill()
    return False


def production_env(static_root, **extra) -> dict:
    """Production's settings for a test server: DEBUG off, plain HTTP on loopback."""
    return {
        "LOCAL_DEVELOPMENT": "0",
        "SECRET_KEY": "test-server-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root),
        **extra,
    }


def collectstatic(settings_dict, env) -> None:
    """Collect the static files production serves (hashed names), as a release would."""
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url(settings_dict), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
