"""Every story so far is Cheltenham's, with its area one of Cheltenham's."""

from django.db import migrations


def to_cheltenham(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    Area = apps.get_model("places", "Area")
    Story = apps.get_model("stories", "Story")
    default = Place.objects.get(is_default=True)
    Story.objects.update(place=default)
    for area in Area.objects.filter(place=default):
        Story.objects.filter(area=area.slug).update(area_ref=area)



class Migration(migrations.Migration):
    dependencies = [("stories", "0003_places")]
    operations = [migrations.RunPython(to_cheltenham, migrations.RunPython.noop)]
