"""The production stack on this machine, for `make bench` and `make reliability`.

Each data size has its own database on the local PostgreSQL, built once by `seed_demo` (which
finds what exists and adds nothing) and analysed. The server is gunicorn with
`config/gunicorn.py` and production settings, as `make serve` runs it.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

from config.localdb import database_url, start
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / "var" / "bench"
# name: (organisations, updates, places, small places). Every registry has Cheltenham and the
# demo's North Ayrshire; "places" has eight more towns, each as big as Cheltenham's part of
# "bench"; "thousand" is "bench" with 998 small places more (three organisations each), as a
# network of many small communities would be.
SIZES = {
    "small": (200, 5_000, 2, 0),
    "bench": (2_000, 50_000, 2, 0),
    "large": (20_000, 500_000, 2, 0),
    "places": (2_000, 50_000, 10, 0),
    "thousand": (2_000, 50_000, 2, 998),
}


def database(size: str) -> str:
    """The DATABASE_URL of one size's database, created empty if it is missing."""
    address = start()
    name = f"kindness_bench_{size}"
    with psycopg.connect(
        dbname="postgres", user="postgres", host=address["HOST"], port=address["PORT"]
    ) as conn:
        conn.autocommit = True
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url().rsplit("/", 1)[0] + "/" + name


def environment(database_url: str, **extra) -> dict:
    """Production settings on loopback, as `make serve` sets them."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 60,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(ROOT / "var" / "staticfiles"),
        "MEDIA_ROOT": str(ROOT / "var" / "bench" / "media"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_MAX_REQUESTS": "0",
        **extra,
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(size: str, database_url: str | None = None) -> dict:
    """Migrate, seed and analyse one size's database, and collect the static files; return
    its environment."""
    env = environment(database_url or database(size))
    organisations, updates, places, small_places = SIZES[size]
    manage(env, "migrate", "--no-input", "-v0")
    print(
        f"Database '{size}': {places} places, each with {organisations:,} organisations and"
        f" {updates:,} updates but North Ayrshire's few, and {small_places} small places",
        flush=True,
    )
    manage(
        env,
        "seed_demo",
        "--organisations", str(organisations),
        "--updates", str(updates),
        "--places", str(places),
        "--small-places", str(small_places),
    )  # fmt: skip
    manage(env, "collectstatic", "--no-input", "-v0")  # production pages need the manifest
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return env


def fixtures(env: dict) -> dict:
    """Partners and pledges to write with (bench/fixtures.py), added to the database once."""
    made = subprocess.run(
        [sys.executable, "-m", "bench.fixtures"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(made.stdout.split("FIXTURES ", 1)[1])


def static_path(env: dict) -> str:
    """The hashed URL of the site's stylesheet, as the pages link it."""
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    return "/static/" + json.loads(manifest.read_text())["paths"]["build/app.css"]


@contextlib.contextmanager
def server(env: dict, *, workers: int | None = None, log: str = "gunicorn"):
    """gunicorn on a free loopback port, with `config/gunicorn.py`, and the task worker beside
    it, as production runs them (the worker draws pages again after an addition:
    core.redraw); yields gunicorn's base URL and process. Their logs go to
    var/bench/<log>.log and <log>-worker.log."""
    port = free_port()
    LOGS.mkdir(parents=True, exist_ok=True)
    server_env = {**env, "BIND": f"127.0.0.1:{port}"}
    if workers:
        server_env["WEB_CONCURRENCY"] = str(workers)
    with contextlib.ExitStack() as stack:
        process = stack.enter_context(
            _process(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"],
                server_env,
                log,
            )
        )
        stack.enter_context(
            _process([sys.executable, "manage.py", "db_worker"], env, f"{log}-worker")
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, process)
        yield base, process


@contextlib.contextmanager
def _process(command: list[str], env: dict, log: str):
    with open(LOGS / f"{log}.log", "w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            process.terminate()
            process.wait(30)


def wait_until_up(base: str, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}: see {LOGS}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {seconds} s")


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())
