"""`make bench`: public pages under gunicorn, on a benchmark-size registry.

Builds (once) a database of 2,000 organisations and 50,000 updates, starts gunicorn
in production mode on a loopback port, sends a bounded number of requests to each
public page, and reports latency percentiles against the targets below.
"""

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

from config.localdb import database_settings

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "kindness_bench"
REQUESTS_PER_PAGE = 200
CONCURRENCY = 4
# p95 targets in milliseconds, for warm (cached) public pages and for API lists.
TARGETS = {"page": 250, "api": 400}
# Whole-file downloads of the benchmark registry: seconds to stream each, end to end.
DOWNLOADS = [
    "/data/organisations.csv",
    "/data/organisations.json",
    "/data/updates.csv",
    "/data/updates.json",
]
DOWNLOAD_TARGET_SECONDS = 10


def bench_database_url() -> str:
    local = database_settings()
    with psycopg.connect(
        dbname="postgres", user="postgres", host=local["HOST"], port=local["PORT"], autocommit=True
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    host = urllib.parse.quote(local["HOST"], safe="")
    return f"postgres://postgres@{host}:{local['PORT']}/{DATABASE}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000


def main() -> int:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 60,
        "DATABASE_URL": bench_database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "EMAIL_HOST": "localhost",  # production requires one; the benchmark sends no email
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--no-input", "-v0")
    print("Building the benchmark registry (skipped when it exists)...")
    manage(env, "seed_demo", "--organisations", "2000", "--updates", "50000")
    manage(env, "collectstatic", "--no-input", "-v0")

    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        slug = urllib.request.urlopen(base + "/api/v1/organisations").read()  # noqa: S310
        slug = __import__("json").loads(slug)["items"][0]["slug"]
        pages = {
            "/": "page",
            "/commitments/": "page",
            "/commitments/?q=listening&sort=updated": "page",
            f"/organisations/{slug}/": "page",
            "/updates/": "page",
            "/statistics/": "page",
            "/api/v1/organisations": "api",
            "/api/v1/updates?page=50": "api",
            # A different page every request, so none is served from the cache.
            "/api/v1/organisations?page_size=10&page={n}": "api",
            "/api/v1/updates?page={n}": "api",
        }
        failures = 0
        print(f"\n{'page':45} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}  target")
        for path, kind in pages.items():
            urls = [base + path.format(n=n) for n in range(1, REQUESTS_PER_PAGE + 1)]
            if "{n}" not in path:
                fetch(urls[0])  # warm the cache
            started = time.perf_counter()
            with ThreadPoolExecutor(CONCURRENCY) as pool:
                timings = sorted(pool.map(fetch, urls))
            elapsed = time.perf_counter() - started
            p50 = statistics.median(timings)
            p95 = timings[int(len(timings) * 0.95) - 1]
            ok = p95 <= TARGETS[kind]
            failures += not ok
            print(
                f"{path:45} {p50:8.1f} {p95:8.1f} {REQUESTS_PER_PAGE / elapsed:8.1f}  {'ok' if ok else 'MISSED'} (p95 <= {TARGETS[kind]})"
            )
        print(f"\n{'download':45} {'seconds':>8} {'MB':>8}")
        for path in DOWNLOADS:
            started = time.perf_counter()
            with urllib.request.urlopen(base + path, timeout=120) as response:  # noqa: S310
                size = sum(len(chunk) for chunk in iter(lambda: response.read(1 << 16), b""))
            seconds = time.perf_counter() - started
            ok = seconds <= DOWNLOAD_TARGET_SECONDS
            failures += not ok
            print(
                f"{path:45} {seconds:8.1f} {size / 1e6:8.1f}  {'ok' if ok else 'MISSED'} (<= {DOWNLOAD_TARGET_SECONDS} s)"
            )
        return 1 if failures else 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
