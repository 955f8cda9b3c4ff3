"""Indexes of the directory's relevance tiers: the name alone, with the pledge, with the
description (organisations.models.RELEVANCE_TIERS)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0007_area_served'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='organisation',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(models.F('search_rank_vector'), models.Value('{a}'), function='ts_filter', output_field=django.contrib.postgres.search.SearchVectorField()), name='organisation_search_a'),
        ),
        migrations.AddIndex(
            model_name='organisation',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(models.F('search_rank_vector'), models.Value('{a,b}'), function='ts_filter', output_field=django.contrib.postgres.search.SearchVectorField()), name='organisation_search_ab'),
        ),
        migrations.AddIndex(
            model_name='organisation',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(models.F('search_rank_vector'), models.Value('{a,b,d}'), function='ts_filter', output_field=django.contrib.postgres.search.SearchVectorField()), name='organisation_search_abd'),
        ),
    ]
