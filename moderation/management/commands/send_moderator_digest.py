from django.core.management.base import BaseCommand

from moderation.digest import send_moderator_digest


class Command(BaseCommand):
    help = "Email moderators the progress updates posted since the last digest. Safe to rerun."

    def handle(self, *args, **options):
        digest = send_moderator_digest()
        if digest is None:
            self.stdout.write("Today's digest has already been sent")
        else:
            noun = "update" if digest.updates == 1 else "updates"
            self.stdout.write(f"Digest of {digest.day}: {digest.updates} {noun}")
