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
from tests.servers import free_port

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
def redis_server():
    """A private, memory-only Redis on a free port; yields its URL. Another test process may
    take the same free port first: then it starts again on another."""
    binary = find()
    if binary is None:
        raise RuntimeError(INSTRUCTION)
    with tempfile.TemporaryDirectory() as folder:
        for _attempt in range(3):
            port = free_port()
            process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            url = f"redis://127.0.0.1:{port}/0"
            if _answers(process, url):
                break
            process.kill()
            process.wait(timeout=10)
        else:
            raise RuntimeError("redis-server did not start")
        try:
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _answers(process, url) -> bool:
    deadline = time.monotonic() + 10
    while process.poll() is None and time.monotonic() < deadline:
        try:
            redis.Redis.from_url(url).ping()
            return True
        except redis.ConnectionError:
            time.sleep(0.05)
    return False


if __name__ == "__main__":
    sys.exit(ensure())
