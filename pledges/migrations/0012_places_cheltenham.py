"""Every agreement and pledge so far is Cheltenham's, the first place."""

from django.db import migrations, models


def to_cheltenham(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    Agreement = apps.get_model("pledges", "Agreement")
    Pledge = apps.get_model("pledges", "Pledge")
    default = Place.objects.get(is_default=True)
    Agreement.objects.update(place=default)
    Pledge.objects.update(
        place_id=models.Subquery(
            Agreement.objects.filter(pk=models.OuterRef("agreement_id")).values("place_id")[:1]
        )
    )



class Migration(migrations.Migration):
    dependencies = [("pledges", "0011_places")]
    operations = [migrations.RunPython(to_cheltenham, migrations.RunPython.noop)]
