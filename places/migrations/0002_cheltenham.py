from django.db import migrations

from places.seed import seed_default_place


def add(apps, schema_editor):
    seed_default_place(apps.get_model("places", "Place"), apps.get_model("places", "Area"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
