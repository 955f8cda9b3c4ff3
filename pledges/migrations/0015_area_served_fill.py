"""Every pledge takes its organisation's area served, as one of its place's areas (every
pledge so far is Cheltenham's, whose areas have the old codes as short names). A pledge in
another place, or with a code its place lacks, takes the place's first area: the whole
place."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Area = apps.get_model("places", "Area")
    Pledge = apps.get_model("pledges", "Pledge")
    Organisation = apps.get_model("organisations", "Organisation")
    same_code = Area.objects.filter(
        place=OuterRef("place_id"),
        slug=Subquery(Organisation.objects.filter(pk=OuterRef(OuterRef("organisation_id"))).values("area")),
    )
    Pledge.objects.update(area=Subquery(same_code.values("pk")[:1]))
    whole = Area.objects.filter(place=OuterRef("place_id")).order_by("position", "pk")
    Pledge.objects.filter(area__isnull=True).update(area=Subquery(whole.values("pk")[:1]))


class Migration(migrations.Migration):
    dependencies = [("pledges", "0014_area_served"), ("organisations", "0006_search_rank_vector")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
