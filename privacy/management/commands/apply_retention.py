from django.core.management.base import BaseCommand

from privacy.services import retention_apply


class Command(BaseCommand):
    help = "Delete or anonymise personal data past its retention period. Safe to run nightly."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run, **options):
        counts = retention_apply(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        kept = counts.pop("inactive_last_admins_kept")
        for name, count in counts.items():
            self.stdout.write(f"{verb} {count} {name.replace('_', ' ')}")
        self.stdout.write(f"Kept {kept} inactive accounts that are an organisation's only admin")
