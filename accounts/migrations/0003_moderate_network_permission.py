from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_moderate_permission"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "ordering": ["email"],
                "permissions": [
                    ("moderate", "Moderates the registry"),
                    ("moderate_network", "Moderates every place of the network"),
                ],
            },
        ),
    ]
