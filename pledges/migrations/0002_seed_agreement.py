from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from pledges.seed import seed_agreement

    seed_agreement(apps.get_model("pledges", "Agreement"), apps.get_model("pledges", "Priority"), timezone.now())


class Migration(migrations.Migration):
    dependencies = [("pledges", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
