import factory
from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from accounts.models import User
from organisations.models import Invitation, JoinRequest, Membership, Organisation
from places.models import Area, Place, in_place
from pledges.models import Agreement, Commitment, Pledge, Priority, ProgressUpdate
from stories.models import Story, token_digest

PASSWORD = "a-long-test-password-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    type = Organisation.Type.CHARITY
    description = "We help families in Cheltenham."


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN


def north_ayrshire(areas=("Irvine",), *, live=False):
    """A second place beside Cheltenham, with these areas (the whole place first, where a
    test needs one); `live`, with its own current agreement and five priorities, as a place
    that has opened."""
    place = Place.objects.create(
        name="North Ayrshire",
        slug="north-ayrshire",
        contact_email="kindness@north-ayrshire.example",
        data_controller="North Ayrshire Council",
        privacy_email="dpo@north-ayrshire.example",
    )
    Area.objects.bulk_create(
        Area(place=place, slug=slugify(name), name=name, position=position)
        for position, name in enumerate(areas)
    )
    if live:
        with transaction.atomic():  # the current version is checked when this commits
            AgreementFactory(place=place, version=1, is_current=True, priorities=True)
    return place


def default_place():
    """Cheltenham, the registry's first place: the tests' place wherever one is not the point."""
    return Place.objects.default()


def whole_town(place=None):
    """The place's first area, the whole place (Cheltenham's when not given)."""
    return Area.objects.filter(in_place("place", place or default_place())).first()


def current_agreement():
    """Cheltenham's seeded version 1 agreement (created by the data migration)."""
    return Agreement.objects.get_current(default_place())


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    place = factory.LazyFunction(lambda: Place.objects.default())
    title = "No Child Left Behind Community Agreement"
    version = factory.Sequence(lambda n: n + 100)
    body = "We agree to be kind."
    published_at = factory.LazyFunction(timezone.now)
    is_current = False

    @factory.post_generation
    def priorities(agreement, create, extracted, **kwargs):
        """`AgreementFactory(priorities=True)`: a complete version, its five priorities carried
        over (same slugs) from the current one."""
        if not (create and extracted):
            return
        for priority in current_agreement().priorities.all():
            priority.pk, priority.agreement = None, agreement
            priority.save()


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = Priority

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n % 5 + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")
    slug = factory.Sequence(lambda n: f"priority-{n}")
    description = "Do a kind thing."


class PledgeFactory(DjangoModelFactory):
    class Meta:
        model = Pledge

    organisation = factory.SubFactory(OrganisationFactory)
    agreement = factory.LazyFunction(current_agreement)
    area = factory.LazyAttribute(lambda p: p.agreement.place.areas.first())  # the whole place
    status = Pledge.Status.DRAFT
    signatory_name = "Sam Okafor"
    signatory_role = "Chief executive"
    statement = "We want every child to thrive."
    superseded_at = factory.LazyAttribute(
        lambda p: timezone.now() if p.status == Pledge.Status.SUPERSEDED else None
    )

    class Params:
        published = factory.Trait(
            status=Pledge.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
            is_authorised=True,
        )


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    pledge = factory.SubFactory(PledgeFactory)
    priority = factory.LazyAttribute(lambda c: c.pledge.agreement.priorities.get(number=1))
    body = "We will protect an hour a week for conversations."
    progress = Commitment.Progress.PLANNED


class ProgressUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ProgressUpdate
        skip_postgeneration_save = True

    pledge = factory.SubFactory(PledgeFactory, published=True)
    title = factory.Sequence(lambda n: f"Update {n}")
    body = "We held a listening session."
    status = ProgressUpdate.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def priorities(obj, create, extracted, **kwargs):
        if create:
            obj.priorities.set(extracted or obj.pledge.agreement.priorities.filter(number=1))


def enrol_totp(user) -> str:
    """Give a user an authenticator app, as moderators must have, with the recovery codes
    that enrolling on the site makes beside it, and return its secret."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def current_totp_code(secret: str, *, windows_ago: int = 0) -> str:
    """The code an authenticator app shows now (or `windows_ago` 30-second windows before).
    It stays valid into the next window (MFA_TOTP_TOLERANCE), so a test need not wait."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 - windows_ago))


def ModeratorFactory(places=None, **kwargs):
    """A member of the Moderators group, as createmoderator makes one: not a superuser. A
    moderator of these places only, or without `places` of the whole network."""
    from accounts.moderators import moderators_group, network_moderators_group

    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(moderators_group())
    if places is None:
        user.groups.add(network_moderators_group())
    for place in places or []:
        place.moderators.add(user)
    enrol_totp(user)
    return user


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.EDITOR


class JoinRequestFactory(DjangoModelFactory):
    class Meta:
        model = JoinRequest

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    message = "I run the breakfast club."


class StoryFactory(DjangoModelFactory):
    """A resident's story, published by default, about an organisation that signed. Pass
    status=Story.Status.WAITING (or UNCONFIRMED) for one a moderator has not read."""

    class Meta:
        model = Story

    body = factory.Sequence(lambda n: f"The librarian found a quiet corner for us, story {n}.")
    place = factory.LazyFunction(lambda: Place.objects.default())
    email = factory.Sequence(lambda n: f"resident{n}@example.net")
    organisation = factory.LazyFunction(lambda: PledgeFactory(published=True).organisation)
    shown_name = "Sam"
    token_digest = factory.Sequence(lambda n: token_digest(f"token-{n}"))
    duplicate_key = factory.Sequence(lambda n: f"key-{n}")
    status = Story.Status.PUBLISHED
    confirmed_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Story.Status.PUBLISHED else None
    )


def opened_place(name: str, slug: str) -> Place:
    """A place opened as a network moderator opens one (`place_create`), with one area and
    Cheltenham's current agreement copied."""
    from moderation.services import place_create

    with transaction.atomic():
        return place_create(
            place=Place(
                name=name,
                slug=slug,
                contact_email=f"kindness@{slug}.example",
                data_controller=f"{name} Council",
                privacy_email=f"dpo@{slug}.example",
            ),
            areas=[("whole", f"The whole of {name}")],
            copy_from=Agreement.objects.get_current(default_place()),
            by=ModeratorFactory(),
        )
