"""Driving the server with wrk (Debian's package), and reading its numbers."""

import re
import shutil
import subprocess
import uuid
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk.lua")
MIX_SCRIPT = Path(__file__).with_name("wrk_mix.lua")
_RESULT = re.compile(r"^RESULT (.*)$", re.MULTILINE)


def ensure_installed() -> str:
    """wrk's path; installed with apt when it is missing and we may."""
    if not shutil.which("wrk"):
        from tests.debian import apt_install

        apt_install("wrk")
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("The benchmark needs wrk: install it with `apt-get install wrk`.")
    return path


def parse(output: str) -> dict:
    """wrk's RESULT line (printed by wrk.lua) as numbers: rps, percentiles in ms, errors."""
    match = _RESULT.search(output)
    if not match:
        raise ValueError(f"wrk printed no result:\n{output}")
    values = {key: int(value) for key, value in (item.split("=") for item in match[1].split())}
    seconds = values["duration_us"] / 1e6
    numbers = {
        "rps": round(values["requests"] / seconds, 1),
        "p50_ms": round(values["p50_us"] / 1000, 1),
        "p95_ms": round(values["p95_us"] / 1000, 1),
        "p99_ms": round(values["p99_us"] / 1000, 1),
        "errors": values["socket_errors"] + values["status_errors"],
        "requests": values["requests"],
    }
    if "hits" in values:
        # A page served as it was (stale) came from the cache too.
        cached = values["hits"] + values.get("stale", 0)
        answered = cached + values["misses"]
        numbers["hit_rate"] = round(cached / answered, 4) if answered else 0.0
        numbers["stale_rate"] = round(values.get("stale", 0) / answered, 4) if answered else 0.0
    return numbers


def run(url: str, *, seconds: int, connections: int, unique: bool, threads: int = 2) -> dict:
    """Load one URL for a fixed time. With `unique`, every request misses the page cache."""
    command = [
        ensure_installed(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        url,
        "--",
        uuid.uuid4().hex[:8],
        "unique" if unique else "same",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse(result.stdout)


def run_mix(base: str, paths: list[str], *, seconds: int, connections: int) -> dict:
    """Load several paths in turn, counting the page cache's hits (`hit_rate`)."""
    command = [
        ensure_installed(),
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(MIX_SCRIPT),
        base + paths[0],
        "--",
        *paths,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse(result.stdout)
