"""A place's year in kindness: what its moderators add to the figures (a foreword and a few
highlights), and the figures of a year that is over, kept as they were when it closed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from places.addresses import place_reverse

HIGHLIGHTS_MAX = 6


class YearReport(models.Model):
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    foreword = models.TextField(
        _("foreword"),
        blank=True,
        max_length=5000,
        help_text=_(
            "A few paragraphs from the place's moderators, shown above the figures. Markdown: "
            "*emphasis*, lists and links. The figures themselves come from the registry and "
            "cannot be changed here."
        ),
    )
    updates = models.ManyToManyField(
        "pledges.ProgressUpdate",
        blank=True,
        related_name="+",
        verbose_name=_("progress updates to highlight"),
        help_text=_("Up to %(max)s published in the place during the year.")
        % {"max": HIGHLIGHTS_MAX},
    )
    stories = models.ManyToManyField(
        "stories.Story",
        blank=True,
        related_name="+",
        verbose_name=_("stories of kindness seen to highlight"),
        help_text=_("Up to %(max)s published in the place during the year.")
        % {"max": HIGHLIGHTS_MAX},
    )
    # The figures of a year that is over, taken once, the first time they are asked for
    # after it closed, and never again (`opendata.yearly.figures`); null until then.
    figures = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("year in kindness")
        verbose_name_plural = _("years in kindness")
        ordering = ["place", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["place", "year"], name="one_year_report_per_place"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2999), name="year_report_year_sane"
            ),
        ]

    def __str__(self):
        return _("%(place)s: %(year)s") % {"place": self.place, "year": self.year}

    def get_absolute_url(self):
        return place_reverse(self.place_id, "opendata:year", kwargs={"year": self.year})
