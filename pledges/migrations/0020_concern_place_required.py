import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0019_concern_place"),
    ]

    operations = [
        migrations.AlterField(
            model_name="concern",
            name="place",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="concerns",
                to="places.place",
            ),
        ),
    ]
