"""Scheduled work runs on a clock, and moderators and monitoring can see that it does."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import JobRun
from core.schedule import JOBS, job_statuses
from tests.factories import ModeratorFactory
from tests.test_deploy_files import ROOT

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def test_the_schedule_lists_the_four_jobs_with_their_times():
    times = {job.name: job.cron for job in JOBS}
    assert times["send_reminders"] == "5 * * * *"
    assert times["send_moderator_digest"] == "0 7 * * *"
    assert times["apply_retention"] == "15 2 * * *"
    assert times["backup"] == "45 1 * * *"


def test_every_shape_runs_the_scheduler():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "run_scheduler" in run and "run_scheduler" in serve
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert compose["services"]["scheduler"]["command"] == ["python", "manage.py", "run_scheduler"]


def test_the_scheduler_runs_each_job_once_and_records_it(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # production's
    call_command("run_scheduler", "--once")
    for job in JOBS:
        run = JobRun.objects.get(name=job.name)
        assert run.is_ok, (job.name, run.output)
        assert run.finished_at >= run.started_at
    assert list(tmp_path.glob("*.tar"))  # the backup job really wrote a backup
    assert not any(status.is_late for status in job_statuses())


def test_a_failing_job_is_recorded_with_what_it_said(monkeypatch):
    from core import schedule

    def broken(*args, **kwargs):
        raise RuntimeError("SMTP refused")

    monkeypatch.setattr(schedule, "call_command", broken)
    run = schedule.run_job(JOBS[0])
    assert not run.is_ok and "SMTP refused" in run.output
    assert job_statuses()[0].is_late


def _ran(name, at, *, is_ok=True):
    return JobRun.objects.create(name=name, started_at=at, finished_at=at, is_ok=is_ok)


def test_a_job_is_late_when_it_has_not_worked_within_its_time():
    for job in JOBS:
        _ran(job.name, NOON - timedelta(minutes=30))
    _ran("send_reminders", NOON - timedelta(minutes=10), is_ok=False)  # a failure is not a run
    assert not any(status.is_late for status in job_statuses(NOON))
    late = {status.job.name for status in job_statuses(NOON + timedelta(hours=2))}
    statuses = {s.job.name: s.is_late for s in job_statuses(NOON + timedelta(hours=2))}
    assert statuses == dict.fromkeys(late, False) | {"send_reminders": True}
    assert all(status.is_late for status in job_statuses(NOON + timedelta(hours=27)))


def test_the_admin_front_page_shows_a_late_job_as_late(client, monkeypatch):
    from types import SimpleNamespace

    from moderation import admin_site

    monkeypatch.setattr(admin_site, "timezone", SimpleNamespace(now=lambda: NOON))  # fixed clock
    for job in JOBS:
        _ran(job.name, NOON - timedelta(minutes=5))
    JobRun.objects.filter(name="send_reminders").update(finished_at=NOON - timedelta(hours=3))
    client.force_login(ModeratorFactory())
    page = client.get(reverse("admin:index")).text
    reminders = page.split('id="job-send_reminders"', 1)[1].split("</li>", 1)[0]
    digest = page.split('id="job-send_moderator_digest"', 1)[1].split("</li>", 1)[0]
    assert "<strong>Reminders</strong>, every hour at 5 past" in reminders
    assert '<strong class="app-jobs__late">late</strong>' in reminders
    assert "on time" in digest and "late" not in digest


def test_monitoring_hears_of_a_late_job(client):
    now = timezone.now()
    for job in JOBS:
        _ran(job.name, now - timedelta(minutes=5))
    healthy = client.get(reverse("schedule-health"))
    assert healthy.status_code == 200 and healthy.json()["late"] == []
    JobRun.objects.filter(name="backup").update(finished_at=now - timedelta(days=2))
    late = client.get(reverse("schedule-health"))
    assert late.status_code == 503 and late.json()["late"] == ["backup"]


def test_a_new_scheduler_is_not_late_before_its_jobs_first_times_but_no_scheduler_is():
    from core.schedule import STARTED

    assert all(status.is_late for status in job_statuses(NOON))  # no scheduler, ever
    JobRun.objects.create(name=STARTED, started_at=NOON, finished_at=NOON, is_ok=True)
    assert not any(status.is_late for status in job_statuses(NOON + timedelta(minutes=30)))
    later = {s.job.name: s.is_late for s in job_statuses(NOON + timedelta(hours=3))}
    assert later["send_reminders"] and not later["backup"]  # an hourly job has had its time


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_process_records_its_start_and_keeps_running(seeded_agreement):
    import os
    import subprocess
    import sys
    import time

    from django.db import connection

    from core.schedule import STARTED
    from tests.servers import database_url

    env = {
        **{key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ},
        "LOCAL_DEVELOPMENT": "1",
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while not JobRun.objects.filter(name=STARTED).exists() and time.monotonic() < deadline:
            assert process.poll() is None, process.stdout.read().decode()
            time.sleep(0.2)
        assert JobRun.objects.filter(name=STARTED).exists()
        assert process.poll() is None  # it stays up, waiting for the next job's time
    finally:
        process.terminate()
        process.wait(timeout=10)
