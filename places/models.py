"""Places: each town or council that runs its own community agreement on this registry, with
its own areas. Agreements, pledges and residents' stories belong to a place; organisations
and people do not (one organisation signs in several places from one account)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reserved import reserved_segments


class PlaceQuerySet(models.QuerySet):
    def default(self):
        """The place that addresses without a place's name belong to: the registry's first,
        Cheltenham, whose addresses existed before places did."""
        return self.get(is_default=True)


class Place(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        _("short name"),
        max_length=50,
        unique=True,
        help_text=_("The first part of its addresses, as in /cheltenham/. Never change it."),
    )
    host = models.CharField(
        _("host name"),
        max_length=253,
        blank=True,
        help_text=_(
            "Its own host name, where the deployer maps one (as in kindness.example.gov.uk). "
            "Empty to use the registry's own, with the short name in the address."
        ),
    )
    gss_code = models.CharField(
        _("local authority code"),
        max_length=9,
        blank=True,
        db_default="",  # rows written by code that predates it (old migrations) get none
        validators=[
            RegexValidator(
                r"^[ENSW][0-9]{8}$",
                _("Enter the ONS (GSS) code of 9 characters, like E07000078 or S12000021."),
            )
        ],
        help_text=_(
            "The Office for National Statistics' code of its council area, as in E07000078 "
            "for Cheltenham: it lets people join this place's open data to their own."
        ),
    )
    contact_email = models.EmailField(
        help_text=_("Where people write about this place's agreement and its registry.")
    )
    data_controller = models.CharField(
        max_length=200, help_text=_("Who controls personal data here, for the privacy notice.")
    )
    privacy_email = models.EmailField(
        help_text=_("Where people write about their data (the data protection officer).")
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_places",
        help_text=_(
            "Moderators of this place only: they see and decide its pledges, updates, stories "
            "and concerns, and no other place's. Moderators of the whole network are named in "
            "the Network moderators group; a moderator of no place and not of the network "
            "moderates nothing."
        ),
    )
    is_default = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="place_one_default"
            ),
            models.UniqueConstraint(
                fields=["host"], condition=~Q(host=""), name="place_unique_host"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.slug and self.slug.lower() in reserved_segments():
            raise ValidationError(
                {
                    "slug": _(
                        "The site already uses /%(slug)s/ for its own pages. Choose another "
                        "short name, such as the place's full name."
                    )
                    % {"slug": self.slug}
                }
            )


class PlaceRequired(ValueError):
    """A read or write of something that belongs to a place, with no place named: a bug in
    the caller, never a reason to pick one. The default place is chosen at the edges only
    (`places.middleware` for addresses without a place, a command's `--place`)."""


def in_place(field: str, place) -> Q:
    """The condition "`field` is this place" for any model's queryset: the one copy of that
    rule. No place is an error (`PlaceRequired`), never a default."""
    if place is None:
        raise PlaceRequired(f"Which place? {field} needs one.")
    return Q(**{field: place})


class Area(models.Model):
    """A part of a place (a ward, the whole town, the county around it): what organisations
    serve and where residents saw kindness, chosen from a list its moderators keep."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="areas")
    slug = models.SlugField(max_length=30)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Lists show areas in this order, then by name.")
    )

    class Meta:
        ordering = ["place", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "slug"], name="area_unique_slug"),
            # What a story's (area, place) foreign key points at (stories/0003).
            models.UniqueConstraint(fields=["id", "place"], name="area_id_place"),
        ]

    def __str__(self):
        return self.name
