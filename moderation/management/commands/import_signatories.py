from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.moderators import moderators
from moderation.paper_import import check
from moderation.services import paper_signatories_import
from places.models import Place


class Command(BaseCommand):
    help = (
        "Import organisations that signed on paper, from a CSV (see moderation/paper_import.py). "
        "A file with any bad row imports nothing; importing it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check, import nothing.")
        parser.add_argument(
            "--moderator", help="The moderator's email address, recorded as the importer."
        )
        parser.add_argument(
            "--place",
            help="The short name of the place they signed in. Without it, the registry's "
            "first place (Cheltenham, whose paper signatures came first).",
        )

    def handle(self, *args, file, dry_run, moderator, place=None, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {file} as UTF-8 text: {error}") from error
        by = None
        if moderator:
            by = moderators().filter(email__iexact=moderator).first()
            if by is None:
                raise CommandError(f"No moderator has the address {moderator}.")
        # The default is chosen here, at the edge, and nowhere below.
        where = Place.objects.filter(slug=place).first() if place else Place.objects.default()
        if where is None:
            raise CommandError(f"No place has the short name {place}.")
        plan = check(text, where)
        for error in plan.errors:
            self.stderr.write(str(error))
        if plan.errors:
            lines = len({error.line for error in plan.errors})
            raise CommandError(f"{lines} rows have problems. Nothing was imported.")
        summary = f"{len(plan.rows)} to import, {len(plan.already_imported)} already imported"
        if dry_run:
            self.stdout.write(f"Checked: {summary}. Nothing was imported (--dry-run).")
            return
        if by is None:
            raise CommandError("Say which moderator imports: --moderator EMAIL.")
        try:
            count = paper_signatories_import(plan=plan, by=by, place=where, progress=self._progress)
        except PermissionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"\nImported {count} organisations ({summary}).")

    def _progress(self, done, total):
        width = 30
        filled = width * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()
