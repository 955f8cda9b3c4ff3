"""The deployment files and the deploy guide name only commands that exist.

The images are not built here (no container runtime); this keeps them from drifting away
from what the test suite runs."""

import re
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
FILES = ["Dockerfile", "compose.yaml", "docs/deploy.md", "README.md", "Makefile"]


def named_commands(text: str) -> set[str]:
    plain = re.findall(r"manage\.py\s+([a-z_]+)", text)
    listed = re.findall(r'"manage\.py",\s*"([a-z_]+)"', text)
    return set(plain) | set(listed)


def test_every_manage_py_command_named_for_deployment_exists():
    named = {}
    for name in FILES:
        for command in named_commands((ROOT / name).read_text()):
            named.setdefault(command, name)
    assert {"migrate", "db_worker", "backup", "run_scheduler"} <= set(named)
    missing = {command: where for command, where in named.items() if command not in get_commands()}
    assert missing == {}
    from core.schedule import JOBS

    assert {job.name for job in JOBS} <= set(get_commands())  # every scheduled job runs


def test_compose_runs_the_web_server_from_the_checked_in_config_and_a_worker():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "redis", "release", "web", "worker", "scheduler", "proxy"} <= set(services)
    assert services["worker"]["command"] == ["python", "manage.py", "db_worker"]
    release = " ".join(services["release"]["command"])
    assert "python manage.py migrate" in release and "python manage.py collectstatic" in release
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]' in dockerfile
    assert (ROOT / "config" / "gunicorn.py").exists()
    assert "uv sync --frozen" in dockerfile and "npm run build" in dockerfile


POSTGRES_OF_DEBIAN = {"bookworm": 15, "trixie": 17}


def test_the_image_never_holds_local_data_secrets_or_history():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"var/", ".env", ".git/"} <= ignored
    assert "!.env.example" in ignored  # the documented example may be copied, nothing else


def test_the_images_pg_dump_is_the_major_version_compose_runs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    bases = re.findall(r"^FROM python:\S+-(\w+)$", dockerfile, flags=re.MULTILINE)
    assert len(bases) == 1 and bases[0] in POSTGRES_OF_DEBIAN, bases
    assert "postgresql-client" in dockerfile  # Debian's, so its version follows the base
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    server = int(re.fullmatch(r"postgres:(\d+)(\.\d+)?", compose["services"]["db"]["image"])[1])
    assert server == POSTGRES_OF_DEBIAN[bases[0]]


def test_the_image_runs_as_a_user_that_is_not_root():
    users = re.findall(r"^USER\s+(\S+)$", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}


def test_compose_takes_its_secrets_from_env_and_holds_none():
    text = (ROOT / "compose.yaml").read_text()
    compose = yaml.safe_load(text)
    assert "${POSTGRES_PASSWORD:?" in compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    assert "${SECRET_KEY:?" in text
    assert "kindness:kindness@" not in text


def test_compose_serves_media_and_static_from_the_web_server_in_front():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    proxy = compose["services"]["proxy"]
    template = "./deploy/nginx/default.conf.template:/etc/nginx/templates/default.conf.template:ro"
    assert template in proxy["volumes"]
    assert "media:/srv/kindness/media:ro" in proxy["volumes"]
    assert not any(volume.startswith("private:") for volume in proxy["volumes"])  # never hidden
    assert proxy["ports"] == ["8000:80"] and "ports" not in compose["services"]["web"]
    app_env = compose["services"]["web"]["environment"]
    assert app_env["MEDIA_ROOT"] == proxy["environment"]["MEDIA_ROOT"]
    assert app_env["STATIC_ROOT"] == proxy["environment"]["STATIC_ROOT"]
    assert "SERVE_MEDIA" not in app_env  # nginx serves them, not Django


def test_a_gunicorn_worker_leaves_what_it_loaded_out_of_the_garbage_collectors_passes():
    import gc
    import runpy

    hooks = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    gc.unfreeze()
    try:
        hooks["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
