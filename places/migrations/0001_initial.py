import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Place",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True)),
                (
                    "slug",
                    models.SlugField(
                        help_text="The first part of its addresses, as in /cheltenham/. Never change it.",
                        unique=True,
                        verbose_name="short name",
                    ),
                ),
                (
                    "host",
                    models.CharField(
                        blank=True,
                        help_text="Its own host name, where the deployer maps one (as in kindness.example.gov.uk). Empty to use the registry's own, with the short name in the address.",
                        max_length=253,
                        verbose_name="host name",
                    ),
                ),
                ("contact_email", models.EmailField(help_text="Where people write about this place's agreement and its registry.", max_length=254)),
                ("data_controller", models.CharField(help_text="Who controls personal data here, for the privacy notice.", max_length=200)),
                ("privacy_email", models.EmailField(help_text="Where people write about their data (the data protection officer).", max_length=254)),
                ("is_default", models.BooleanField(default=False, editable=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
            ],
            options={
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(condition=Q(is_default=True), fields=("is_default",), name="place_one_default"),
                    models.UniqueConstraint(condition=~Q(host=""), fields=("host",), name="place_unique_host"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Area",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=30)),
                ("name", models.CharField(max_length=100)),
                ("position", models.PositiveSmallIntegerField(default=0, help_text="Lists show areas in this order, then by name.")),
                ("place", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="areas", to="places.place")),
            ],
            options={
                "ordering": ["place", "position", "name"],
                "constraints": [
                    models.UniqueConstraint(fields=("place", "slug"), name="area_unique_slug"),
                    models.UniqueConstraint(fields=("id", "place"), name="area_id_place"),
                ],
            },
        ),
    ]
