"""A story belongs to a place (every one so far to Cheltenham), and its area is one of that
place's areas: a composite foreign key, (its area, its place) to (the area's id, the area's
place), lets PostgreSQL refuse an area of another place."""

import django.db.models.deletion
from django.db import migrations, models

SAME_PLACE = """
ALTER TABLE stories_story ADD CONSTRAINT story_area_is_its_places
    FOREIGN KEY (area_id, place_id) REFERENCES places_area (id, place_id);
"""
NO_SAME_PLACE = "ALTER TABLE stories_story DROP CONSTRAINT story_area_is_its_places;"


def to_cheltenham(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    Area = apps.get_model("places", "Area")
    Story = apps.get_model("stories", "Story")
    default = Place.objects.get(is_default=True)
    Story.objects.update(place=default)
    for area in Area.objects.filter(place=default):
        Story.objects.filter(area=area.slug).update(area_ref=area)


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
        migrations.RunPython(to_cheltenham, migrations.RunPython.noop),
        migrations.RemoveField(model_name="story", name="area"),
        migrations.RenameField(model_name="story", old_name="area_ref", new_name="area"),
        migrations.AlterField(
            model_name="story",
            name="area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="stories",
                to="places.area",
            ),
        ),
        migrations.AlterField(
            model_name="story",
            name="place",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="stories",
                to="places.place",
            ),
        ),
        migrations.RunSQL(SAME_PLACE, NO_SAME_PLACE),
    ]
