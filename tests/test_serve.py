"""Production-like serving: gunicorn with the checked-in config, DEBUG off, hashed static files
with a year's cache, and a request id on every response."""

import re

import pytest
import requests
from django.db import connection

from tests.servers import collectstatic, gunicorn, production_env

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_checked_in_gunicorn_config_serves_production_mode(seeded_agreement, tmp_path):
    env = production_env(tmp_path / "static")
    collectstatic(connection.settings_dict, env)
    with gunicorn(connection.settings_dict, extra_env=env, config="config/gunicorn.py") as base:
        home = requests.get(f"{base}/", timeout=10)
        assert home.status_code == 200
        assert re.fullmatch(r"[0-9a-f]{32}", home.headers["X-Request-ID"])
        css = re.search(r'href="(/static/build/app\.[0-9a-f]{12}\.css)"', home.text).group(1)
        static = requests.get(base + css, timeout=10)
        assert static.status_code == 200
        assert "max-age=315360000" in static.headers["Cache-Control"]
        assert "immutable" in static.headers["Cache-Control"]
        missing = requests.get(f"{base}/no-such-page/", timeout=10)
        assert missing.status_code == 404 and "Page not found" in missing.text
        assert "Traceback" not in missing.text and "DEBUG" not in missing.text
