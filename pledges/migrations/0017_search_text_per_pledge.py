"""Each public pledge keeps its own search text, its place's alone (filled by 0018)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0009_search_text_per_pledge'),
        ('places', '0003_place_moderators'),
        ('pledges', '0016_area_served_rules'),
    ]

    operations = [
        migrations.AddField(
            model_name='pledge',
            name='search_rank_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='pledge',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='pledge',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='pledge_search'),
        ),
        migrations.AddIndex(
            model_name='pledge',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(models.F('search_rank_vector'), models.Value('{a}'), function='ts_filter', output_field=django.contrib.postgres.search.SearchVectorField()), name='pledge_search_a'),
        ),
        migrations.AddIndex(
            model_name='pledge',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(models.F('search_rank_vector'), models.Value('{a,b}'), function='ts_filter', output_field=django.contrib.postgres.search.SearchVectorField()), name='pledge_search_ab'),
        ),
        migrations.AddIndex(
            model_name='pledge',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(models.F('search_rank_vector'), models.Value('{a,b,d}'), function='ts_filter', output_field=django.contrib.postgres.search.SearchVectorField()), name='pledge_search_abd'),
        ),
    ]
