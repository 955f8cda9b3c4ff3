"""Installing a Debian package the test suite needs, where we may: as root with apt."""

import os
import shutil
import subprocess


def apt_install(*packages: str) -> bool:
    """Try to install the packages; False where this machine does not allow it. The caller
    checks for what it needs afterwards, so a failed install is reported there."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=env, check=False)
    return True
