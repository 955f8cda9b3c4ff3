"""The real Redis server that the two-instance tests share, as production would with REDIS_URL.

`make test` runs `python -m tests.redis_server` first: it installs Debian's `redis-server`
when it is missing and we are root with apt, and otherwise fails with an instruction.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import redis

from tests.debian import apt_install

INSTRUCTION = (
    "The two-instance tests need a Redis server, and it could not be installed here.\n"
    "Install it (Debian and Ubuntu: 'sudo apt-get install redis-server'), or set\n"
    "REDIS_SERVER_PATH to a redis-server binary."
)


def find() -> str | None:
    return os.environ.get("REDIS_SERVER_PATH") or shutil.which("redis-server")


def ensure() -> int:
    if find():
        return 0
    print("redis-server is missing: trying Debian's package for the two-instance tests...")
    apt_install("redis-server")
    if find():
        return 0
    print(INSTRUCTION, file=sys.stderr)
    return 1


@contextmanager
def redis_server(port: int):
    """A private, memory-only Redis on `port`; yields its URL."""
    binary = find()
    if binary is None:
        raise RuntimeError(INSTRUCTION)
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    redis.Redis.from_url(url).ping()
                    break
                except redis.ConnectionError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("redis-server did not start") from None
                    time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(ensure())
