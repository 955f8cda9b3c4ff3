"""The web server in front, as compose.yaml runs it: nginx with deploy/nginx's template.

`make test` runs `python -m tests.nginx_server` first: it installs Debian's `nginx` when it
is missing and we are root with apt, and otherwise fails with an instruction.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.debian import apt_install
from tests.servers import ROOT, free_port

TEMPLATE = ROOT / "deploy" / "nginx" / "default.conf.template"
INSTRUCTION = (
    "The media tests need nginx, and it could not be installed here.\n"
    "Install it (Debian and Ubuntu: 'sudo apt-get install nginx'), or set NGINX_PATH."
)


def find() -> str | None:
    return (
        os.environ.get("NGINX_PATH")
        or shutil.which("nginx")
        or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    )


def ensure() -> int:
    if find():
        return 0
    print("nginx is missing: trying Debian's package for the media tests...")
    apt_install("nginx")
    if find():
        return 0
    print(INSTRUCTION, file=sys.stderr)
    return 1


def render(values: dict) -> str:
    """The template with ${NAME} filled in, as the nginx image's envsubst does: only the names
    given, so nginx's own $variables stay."""
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


@contextmanager
def nginx(*, upstream: str, media_root: Path, static_root: Path):
    """nginx on a free port in front of `upstream` (host:port); yields its base URL."""
    binary = find()
    if binary is None:
        raise RuntimeError(INSTRUCTION)
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = render(
            {
                "NGINX_PORT": f"127.0.0.1:{port}",
                "MEDIA_ROOT": str(media_root),
                "STATIC_ROOT": str(static_root),
                "APP_UPSTREAM": upstream,
            }
        )
        config = Path(folder) / "nginx.conf"
        # As root, nginx's workers would run as nobody, who cannot read the tests' private
        # temporary folders; in compose they run as nginx and the media volume is readable.
        user = "user root;\n" if os.geteuid() == 0 else ""
        config.write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
            f"error_log {folder}/error.log;\nevents {{}}\n"
            f"http {{\n access_log off;\n client_body_temp_path {folder}/body;\n"
            f" proxy_temp_path {folder}/proxy;\n fastcgi_temp_path {folder}/fastcgi;\n"
            f" uwsgi_temp_path {folder}/uwsgi;\n scgi_temp_path {folder}/scgi;\n"
            f" types {{ image/jpeg jpg; image/png png; text/css css; }}\n{server}\n}}\n"
        )
        process = subprocess.Popen(
            [binary, "-c", str(config), "-p", folder, "-e", f"{folder}/error.log"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    requests.get(f"{base}/media/", timeout=1)
                    break
                except requests.ConnectionError:
                    if process.poll() is not None:
                        raise RuntimeError(Path(f"{folder}/error.log").read_text()) from None
                    time.sleep(0.05)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(ensure())
