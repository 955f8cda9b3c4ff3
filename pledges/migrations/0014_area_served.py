"""An organisation's area served becomes its pledge's, one of the pledge's place's areas: an
organisation serves a different part of each place it signs in. The next migration fills it
from the organisation; the one after adds the rules (PostgreSQL will not alter a table with
the fill's key checks pending in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("places", "0003_place_moderators"), ("pledges", "0013_places_rules")]

    operations = [
        migrations.AddField(
            model_name="pledge",
            name="area",
            field=models.ForeignKey(
                blank=True,
                help_text="The part of the place the organisation mainly serves.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pledges",
                to="places.area",
                verbose_name="area served",
            ),
        ),
    ]
