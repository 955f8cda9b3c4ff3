"""The test run's settings: local mode, tasks run at once, and a fast password hasher.

pyproject.toml names this module for pytest-django. Local mode is switched on here, explicitly,
before the project settings read the environment.
"""

import os

os.environ["LOCAL_DEVELOPMENT"] = "1"

from config.settings import *  # noqa: E402, F403

# A real hash costs about a quarter of a second, and factories make hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run as they are enqueued, unless a test asks for the real queue.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Tests need no durability: a commit need not wait for the disk.
DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"  # noqa: F405

# Tests serve static files through the finders. A collected folder (`make bench` leaves one in
# var/staticfiles) made WhiteNoise scan every file in it for each test client: 12 % of the
# non-browser tests' time, and a working copy 10 s slower than a fresh clone.
STATIC_ROOT = BASE_DIR / "var" / "tests-collect-no-static"  # noqa: F405

# The shared cache deletes expired rows after one write in 200, by chance: a test that counts
# its queries would fail one run in many. The test of the cull makes a cache that culls on
# every write (tests/test_single_flight.py).
CACHES["default"].setdefault("OPTIONS", {})["CULL_EVERY"] = 0  # noqa: F405

# Pages are drawn again at once after an addition, as a test that reads, adds and reads again
# expects; the tests of the pause set it (tests/test_single_flight.py), and the servers of
# tests/test_two_processes.py run with the default.
PUBLIC_REDRAW_SECONDS = 0
