from django.core.management.base import BaseCommand

from moderation.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email organisations whose progress update is due soon, due, or awaited. "
        "Safe to run every hour, and twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing.")

    def handle(self, *args, dry_run, **options):
        counts = send_reminders(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Would send {_reminders(counts['would_send'])}")
            return
        self.stdout.write(
            f"Sent {_reminders(counts['sent'])}, cancelled {counts['cancelled']} no longer "
            f"needed, {counts['failed']} failed (tried again next run)"
        )


def _reminders(count: int) -> str:
    return f"{count} reminder" if count == 1 else f"{count} reminders"
