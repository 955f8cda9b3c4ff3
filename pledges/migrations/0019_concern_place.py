"""A concern records the place it was raised in. Those about an update take the update's
place; those about a page, the place of the organisation's public pledge (its newest
pledge's where none is public): the place its page was in."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Concern = apps.get_model("pledges", "Concern")
    Pledge = apps.get_model("pledges", "Pledge")
    for concern in Concern.objects.filter(place__isnull=True).select_related("update__pledge"):
        if concern.update_id:
            concern.place_id = concern.update.pledge.place_id
        else:
            pledges = Pledge.objects.filter(organisation_id=concern.organisation_id)
            public = pledges.filter(status__in=["published", "withdrawn"]).order_by("-published_at")
            pledge = public.first() or pledges.order_by("-created_at").first()
            concern.place_id = pledge.place_id
        concern.save(update_fields=["place"])


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0018_fill_search_text_per_pledge"),
        ("places", "0005_moderators_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="place",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="concerns",
                to="places.place",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
