import contextlib

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand

from core.schedule import JOBS, run_job, run_scheduled, scheduler_started


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs at their times (core/schedule.py), one at a time, until "
        "stopped. --once runs each job now and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job now, then stop.")

    def handle(self, *args, once, **options):
        if once:
            for job in JOBS:
                run = run_job(job)
                state = (
                    "skipped (running elsewhere)"
                    if run is None
                    else ("ok" if run.is_ok else "failed")
                )
                self.stdout.write(f"{job.name}: {state}")
            return
        # One worker thread: jobs never overlap in this process; a run that is late because
        # another took long still runs (coalesced into one), within an hour of its time.
        scheduler = BlockingScheduler(
            timezone=settings.TIME_ZONE,
            executors={"default": {"type": "threadpool", "max_workers": 1}},
            job_defaults={"coalesce": True, "misfire_grace_time": 3600, "max_instances": 1},
        )
        for job in JOBS:
            trigger = CronTrigger.from_crontab(job.cron, timezone=settings.TIME_ZONE)
            scheduler.add_job(run_scheduled, trigger, args=[job], id=job.name, name=job.name)
        scheduler_started()
        self.stdout.write(
            "Scheduler running: " + ", ".join(f"{job.name} {job.when}" for job in JOBS)
        )
        with contextlib.suppress(KeyboardInterrupt, SystemExit):  # Ctrl-C or SIGTERM: stop
            scheduler.start()
