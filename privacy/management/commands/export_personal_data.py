import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy.export import personal_data


class Command(BaseCommand):
    help = "Write everything held about one person as JSON (a subject access request)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email!r}.")
        self.stdout.write(json.dumps(personal_data(user), indent=2, ensure_ascii=False))
