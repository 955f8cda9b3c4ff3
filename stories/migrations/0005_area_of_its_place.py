"""A story's area is one of its place's areas: a composite foreign key, (its area, its place)
to (the area's id, the area's place), lets PostgreSQL refuse an area of another place."""

import django.db.models.deletion
from django.db import migrations, models

SAME_PLACE = """
ALTER TABLE stories_story ADD CONSTRAINT story_area_is_its_places
    FOREIGN KEY (area_id, place_id) REFERENCES places_area (id, place_id);
"""
NO_SAME_PLACE = "ALTER TABLE stories_story DROP CONSTRAINT story_area_is_its_places;"


class Migration(migrations.Migration):
    dependencies = [("stories", "0004_places_cheltenham")]

    operations = [
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
