"""A story belongs to a place (every one so far to Cheltenham), and its area becomes one of
that place's areas (the next migration swaps the columns: PostgreSQL will not alter a table
with the new keys' checks still pending in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [("stories", "0002_flag_words"), ("places", "0002_cheltenham")]

    operations = [
        migrations.AddField(
            model_name="story",
            name="place",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="stories",
                to="places.place",
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="area_ref",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.area",
            ),
        ),
    ]
