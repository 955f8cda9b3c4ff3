"""Scheduled work, written once: which management commands run when, and whether they do.

`manage.py run_scheduler` (APScheduler, beside the task worker in every shape) runs each job
at its time; each command is safe to run twice, and a PostgreSQL advisory lock keeps two
schedulers from running the same job at once. Every run is a `JobRun` row, which the admin's
front page and `/healthz/schedule` read: a job with no successful run within `late_after` is
late. Jobs are named by command, so this module imports no app above it.
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone

from .models import JobRun

OUTPUT_LIMIT = 4000


@dataclass(frozen=True)
class Job:
    name: str  # the manage.py command
    label: str  # what moderators call it
    cron: str  # minute hour day month weekday, in Europe/London
    when: str  # the same, in words, for the admin
    late_after: timedelta
    args: tuple = ()


JOBS = [
    Job("send_reminders", "Reminders", "5 * * * *", "every hour at 5 past", timedelta(hours=2)),
    Job(
        "send_moderator_digest",
        "Moderators' digest",
        "0 7 * * *",
        "every day at 07:00",
        timedelta(hours=26),
    ),
    Job("backup", "Backup", "45 1 * * *", "every night at 01:45", timedelta(hours=26)),
    Job("apply_retention", "Retention", "15 2 * * *", "every night at 02:15", timedelta(hours=26)),
    Job(
        "prune_db_task_results",
        "Old task results",
        "30 2 * * *",
        "every night at 02:30",
        timedelta(hours=26),
        ("--min-age-days", "30", "--failed-min-age-days", "90"),
    ),
]


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"job:{name}".encode()).digest()[:8], "big", signed=True)


def run_job(job: Job) -> JobRun | None:
    """Run one job now and record it; None when another scheduler is running it already.

    The scheduler's own bookkeeping writes here (one row a run), outside any service: it
    records what the commands did, and changes nothing they own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_key(job.name)])
        if not cursor.fetchone()[0]:
            return None
    try:
        run = JobRun.objects.create(name=job.name, started_at=timezone.now())
        out = io.StringIO()
        try:
            call_command(job.name, *job.args, stdout=out, stderr=out)
            run.is_ok = True
        except Exception as error:  # recorded and shown; the next run tries again
            out.write(f"\n{type(error).__name__}: {error}")
        run.output = out.getvalue().strip()[-OUTPUT_LIMIT:]
        run.finished_at = timezone.now()
        run.save(update_fields=["is_ok", "output", "finished_at"])
        return run
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(job.name)])


def run_scheduled(job: Job) -> None:
    """`run_job` from the long-running scheduler: a fresh connection if the last went stale."""
    close_old_connections()
    try:
        run_job(job)
    finally:
        close_old_connections()


@dataclass
class JobStatus:
    job: Job
    last: JobRun | None  # the latest run, finished or not
    last_ok: JobRun | None  # the latest run that worked
    is_late: bool


# A row of this name records each start of `run_scheduler`, so that a job that has not had
# its first time yet is not late, while a deployment with no scheduler at all is.
STARTED = "scheduler started"


def scheduler_started() -> JobRun:
    """Record that a scheduler has started (the scheduler's own bookkeeping)."""
    now = timezone.now()
    return JobRun.objects.create(name=STARTED, started_at=now, finished_at=now, is_ok=True)


def job_statuses(now: datetime | None = None) -> list[JobStatus]:
    """Each job with its latest run and its latest good one; late when no run worked within
    its `late_after`. A job that never ran is late once a scheduler has been running for its
    window, or at once when no scheduler ever started."""
    now = now or timezone.now()
    started = JobRun.objects.filter(name=STARTED).order_by("-started_at").first()
    statuses = []
    for job in JOBS:
        runs = JobRun.objects.filter(name=job.name)
        last = runs.first()
        last_ok = runs.filter(is_ok=True).first()
        since = last_ok.finished_at if last_ok else (started.started_at if started else None)
        is_late = since is None or since < now - job.late_after
        statuses.append(JobStatus(job, last, last_ok, is_late))
    return statuses
