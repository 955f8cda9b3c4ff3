import re
import secrets
import uuid
from datetime import timedelta
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .names import meaningful_words, skeleton
from .validators import (
    validate_charity_number,
    validate_company_number,
    validate_school_urn,
    validate_website,
)


def logo_upload_to(instance, filename):
    """A generated name, so that nothing a user typed reaches the file system."""
    suffix = PurePath(filename).suffix.lower() or ".png"
    return f"logos/{uuid.uuid4().hex}{suffix}"


class OrganisationQuerySet(models.QuerySet):
    def similar_to(self, name: str):
        """Organisations whose names share a meaningful whole word with this one, to avoid
        registering the same organisation twice. Words every kind of organisation uses
        ("trust", "school", "Cheltenham") say nothing about which one it is, so they are left
        out; "Mary" does not match "Rosemary". Look-alike letters are read as the letters they
        imitate ("Оakwood" with a Cyrillic О finds "Oakwood")."""
        words = meaningful_words(skeleton(name))[:5]
        if not words:
            return self.none()
        query = models.Q()
        for word in words:  # "Marys", "Mary's" and "Mary’s" all match each other
            stem = re.escape(re.sub(r"['’]?s$", "", word) if len(word) > 4 else word)
            query |= models.Q(name__iregex=rf"\m{stem}(['’]?s)?\M")
        return self.filter(query).order_by("name")[:10]

    def free_slug(self, name: str) -> str:
        """A web address made from the name that no organisation uses yet."""
        base = slugify(name)[:200] or "organisation"
        slug, n = base, 2
        while self.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @staticmethod
    def _has_admin():
        return models.Exists(
            Membership.objects.filter(
                organisation=models.OuterRef("pk"), role=Membership.Role.ADMIN
            )
        )

    def claimed(self):
        """Organisations someone can act for: with at least one admin. One imported from the
        paper records has none until its contact accepts the claim invitation."""
        return self.filter(self._has_admin())

    def unclaimed(self):
        return self.exclude(self._has_admin())

    def solely_administered_by(self, user):
        """Organisations that would be left without an admin if this person left."""
        sole = Membership.objects.sole_admins().filter(user=user)
        return self.filter(memberships__in=sole).order_by("name")


def _choice_label(choices, value):
    """The label of `value` among `choices` (a TextChoices class), or the value itself."""
    member = choices._value2member_map_.get(value)
    return member.label if member is not None else value


class Organisation(models.Model):
    class Type(models.TextChoices):
        COUNCIL = "council", _("Council or public body")
        HEALTH = "health", _("NHS or health")
        SCHOOL = "school", _("School or college")
        EARLY_YEARS = "early_years", _("Early years")
        CHARITY = "charity", _("Charity or voluntary group")
        COMMUNITY = "community", _("Community group")
        FAITH = "faith", _("Faith group")
        BUSINESS = "business", _("Business")
        HOUSING = "housing", _("Housing")
        SPORT = "sport", _("Sport or leisure")
        OTHER = "other", _("Other")

    class Verification(models.TextChoices):
        EMAIL_DOMAIN = "email_domain", _("A member's confirmed email is on its website's domain")
        MODERATOR = "moderator", _("Checked by a moderator")

    name = models.CharField(
        _("organisation name"),
        max_length=200,
        help_text=_("The name people know you by."),
    )
    slug = models.SlugField(
        max_length=220,
        unique=True,
        help_text=_("The last part of your public web address. Made from the name."),
    )
    type = models.CharField(
        _("type of organisation"),
        max_length=20,
        choices=Type.choices,
        help_text=_("Choose the closest match."),
    )
    description = models.TextField(
        _("about the organisation"),
        max_length=2000,
        blank=True,
        help_text=_("A few sentences about what you do and who you work with."),
    )
    website = models.URLField(
        _("website"),
        max_length=300,
        blank=True,
        validators=[validate_website],
        help_text=_("For example, https://example.org"),
    )
    charity_number = models.CharField(
        _("charity number"),
        max_length=12,
        blank=True,
        validators=[validate_charity_number],
        help_text=_(
            "Only if you are a registered charity. For example, 1234567 (England and Wales), "
            "SC012345 (Scotland) or NIC100001 (Northern Ireland)."
        ),
    )
    company_number = models.CharField(
        _("company number"),
        max_length=8,
        blank=True,
        validators=[validate_company_number],
        help_text=_("Only if you are registered at Companies House. For example, 01234567."),
    )
    school_urn = models.CharField(
        _("school number"),
        max_length=7,
        blank=True,
        validators=[validate_school_urn],
        help_text=_(
            "Only for schools: in England the 6-digit unique reference number (URN), in "
            "Scotland the 7-digit SEED code."
        ),
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification = models.CharField(max_length=12, choices=Verification.choices, blank=True)
    verification_note = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_upload_to,
        blank=True,
        help_text=_("A PNG or JPEG image of up to 5 MB. We resize it for the web."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        indexes = [
            models.Index(Lower("name"), name="organisation_name_lower"),
            models.Index(fields=["type"], name="organisation_type"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True, verification="")
                | Q(verified_at__isnull=False) & ~Q(verification=""),
                name="verified_has_a_time_and_a_method",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:detail", kwargs={"slug": self.slug})

    # Django's own get_FOO_display hashes every lazily translated label of the field on each
    # call: a page of twenty organisations paid thousands of translation lookups for it.
    def get_type_display(self):
        return _choice_label(self.Type, self.type)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def website_domain(self) -> str:
        """The website's host without "www.", lower case: what a member's email must match."""
        host = (urlsplit(self.website).hostname or "") if self.website else ""
        return host.removeprefix("www.")

    def admin_emails(self) -> list[str]:
        """Where news about the organisation's pledge goes: its admins' sign-in addresses."""
        return list(
            self.memberships.filter(role=Membership.Role.ADMIN).values_list(
                "user__email", flat=True
            )
        )


# What an organisation's own members can edit on its public profile.
PROFILE_FIELDS = [
    "name",
    "type",
    "website",
    "charity_number",
    "company_number",
    "school_urn",
    "description",
]


class MembershipQuerySet(models.QuerySet):
    def sole_admins(self):
        """Admin memberships that are their organisation's only admin: the rule that closing an
        account and retention both follow (the last admin stays until someone else is one)."""
        other_admins = Membership.objects.filter(
            organisation=models.OuterRef("organisation"), role=Membership.Role.ADMIN
        ).exclude(pk=models.OuterRef("pk"))
        return self.filter(role=Membership.Role.ADMIN).exclude(models.Exists(other_admins))

    def latest_admins(self):
        """Each organisation's most recently active admin (signed in last, or joined last if
        nobody has signed in): the one retention keeps when every admin is inactive, so that
        no organisation is left with nobody to act for it."""
        latest = (
            Membership.objects.filter(
                organisation=models.OuterRef("organisation"), role=Membership.Role.ADMIN
            )
            .annotate(active=Coalesce("user__last_login", "user__date_joined"))
            .order_by(models.F("active").desc(nulls_last=True), "-user_id")
            .values("user_id")[:1]
        )
        return self.filter(role=Membership.Role.ADMIN, user_id=models.Subquery(latest))


class Membership(models.Model):
    """A person who acts for an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=10,
        choices=Role.choices,
        default=Role.EDITOR,
        help_text=_("Admins can sign, submit and manage colleagues. Editors can prepare drafts."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_pair"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


def invitation_expiry():
    return timezone.now() + timedelta(days=14)


def invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An emailed invitation to join an organisation, bound to one address and usable once."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"), help_text=_("Your colleague's work email."))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.EDITOR
    )
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} to {self.organisation}"

    @property
    def is_usable(self):
        return self.accepted_at is None and timezone.now() < self.expires_at


class JoinRequest(models.Model):
    """A signed-in person asks to join an existing organisation; its admins decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(
        _("message to the organisation's admins"),
        max_length=1000,
        blank=True,
        help_text=_("Say who you are and your job, so they can recognise you."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.user} asks to join {self.organisation}"
