from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Write the database and uploaded media to one backup file (restore with `restore`)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write. Default: BACKUP_DIR/kindness-<date>-<time>.tar",
        )

    def handle(self, *args, output, **options):
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BACKUP_DIR) / f"kindness-{stamp}.tar"
        try:
            manifest = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = (
            f"{manifest['media_files']} media files"
            if manifest["media_included"]
            else "no media (they are on object storage)"
        )
        self.stdout.write(f"Backed up the database and {media} to {output}")
