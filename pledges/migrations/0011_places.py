"""Agreements and pledges belong to a place (0012 puts every one so far in Cheltenham; 0013
adds the rules). Three migrations, because PostgreSQL will not alter a table whose new keys'
checks are still pending in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0010_supersede_and_hide_reasons"),
        ("places", "0002_cheltenham"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="place",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agreements",
                to="places.place",
            ),
        ),
        migrations.AddField(
            model_name="pledge",
            name="place",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pledges",
                to="places.place",
            ),
        ),
    ]
