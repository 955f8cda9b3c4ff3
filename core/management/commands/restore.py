from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backups import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database's contents and local media with a backup made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask first."
        )

    def handle(self, *args, file, interactive, **options):
        if not file.is_file():
            raise CommandError(f"There is no backup file at {file}.")
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"This replaces everything in the database {name!r}. Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            manifest = restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {name!r} from the backup of {manifest['created_at']} "
            f"({manifest['media_files']} media files)."
        )
