"""The area served moved to each pledge (pledges 0014-0016), filled from here first."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0006_search_rank_vector'),
        ('pledges', '0015_area_served_fill'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='organisation',
            name='organisation_area',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='area',
        ),
        migrations.AlterField(
            model_name='organisation',
            name='name',
            field=models.CharField(help_text='The name people know you by.', max_length=200, verbose_name='organisation name'),
        ),
    ]
