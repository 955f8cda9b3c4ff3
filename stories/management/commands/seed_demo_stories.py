from django.core.management.base import BaseCommand
from django.db import transaction

from core.versions import public_data_changed
from stories.demo import add_demo_stories


class Command(BaseCommand):
    help = (
        "Add residents' demo stories of kindness seen (after seed_demo): some published, "
        "some waiting for a moderator, one flagged. Safe to run twice."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            added = add_demo_stories()
            if added:
                public_data_changed(addition=True)
        self.stdout.write(self.style.SUCCESS(f"Demo stories ready: {added} new."))
