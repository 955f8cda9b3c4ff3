import getpass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from accounts.moderators import moderators_group, network_moderators_group
from core.siteurl import site_url


class Command(BaseCommand):
    help = (
        "Make a moderator account that is ready to use: a confirmed address, the Moderators "
        "group, and two-factor enrolment asked for at the first sign-in. Say what they "
        "moderate: --network (every place) or --place SHORT_NAME (one or more)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Their full name.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for a password: print a link for them to set their own.",
        )
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument(
            "--network", action="store_true", help="A moderator of every place of the network."
        )
        where.add_argument(
            "--place",
            action="append",
            dest="places",
            metavar="SHORT_NAME",
            help="A moderator of this place only (repeat for several).",
        )

    def handle(self, *args, email, name, interactive, network, places, **options):
        from django.apps import apps

        Place = apps.get_model("places", "Place")  # accounts sits below places: no import
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"There is already an account for {email}.")
        moderated = list(Place.objects.filter(slug__in=places or []))
        unknown = set(places or []) - {place.slug for place in moderated}
        if unknown:
            raise CommandError(f"No place has the short name {', '.join(sorted(unknown))}.")
        password = self._ask_password(User(email=email, name=name)) if interactive else None
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, name=name, is_staff=True
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            user.groups.add(moderators_group())
            if network:
                user.groups.add(network_moderators_group())
            for place in moderated:
                place.moderators.add(user)
        of = "the whole network" if network else ", ".join(place.name for place in moderated)
        self.stdout.write(
            f"Moderator {email} of {of} is ready. At the first sign-in they enrol an "
            "authenticator app."
        )
        if password is None:
            link = site_url() + reverse(
                "account_reset_password_from_key",
                kwargs={
                    "uidb36": user_pk_to_url_str(user),
                    "key": default_token_generator.make_token(user),
                },
            )
            self.stdout.write(f"Send them this link to choose a password (it works once):\n{link}")

    def _ask_password(self, user):
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords did not match.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No account was made.")
