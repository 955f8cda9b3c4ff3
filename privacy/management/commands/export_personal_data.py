import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy.export import personal_data, stories_told


class Command(BaseCommand):
    help = (
        "Write everything held about one person as JSON (a subject access request): their "
        "account, or the stories of kindness seen told from the address."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is not None:
            data = personal_data(user)
        elif stories := stories_told(email):  # a resident who told a story has no account
            data = {"stories_told": stories}
        else:
            raise CommandError(f"Nothing is held about the email address {email!r}.")
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
