"""A public pledge has an area, and a pledge's area is one of its place's areas: a composite
foreign key, (its area, its place) to (the area's id, the area's place)."""

from django.db import migrations, models

SAME_PLACE = """
ALTER TABLE pledges_pledge ADD CONSTRAINT pledge_area_is_its_places
    FOREIGN KEY (area_id, place_id) REFERENCES places_area (id, place_id);
"""
NO_SAME_PLACE = "ALTER TABLE pledges_pledge DROP CONSTRAINT pledge_area_is_its_places;"


class Migration(migrations.Migration):
    dependencies = [("pledges", "0015_area_served_fill")]

    operations = [
        migrations.AddConstraint(
            model_name="pledge",
            constraint=models.CheckConstraint(
                condition=~models.Q(status__in=("published", "withdrawn"))
                | models.Q(area__isnull=False),
                name="pledge_public_has_area",
            ),
        ),
        migrations.RunSQL(SAME_PLACE, NO_SAME_PLACE),
    ]
