"""The search text moves to each public pledge (pledges 0017-0018): an organisation's text
spanned every place it signed in."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0008_search_relevance_tiers'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='organisation',
            name='organisation_search',
        ),
        migrations.RemoveIndex(
            model_name='organisation',
            name='organisation_search_a',
        ),
        migrations.RemoveIndex(
            model_name='organisation',
            name='organisation_search_ab',
        ),
        migrations.RemoveIndex(
            model_name='organisation',
            name='organisation_search_abd',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='search_rank_vector',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='search_vector',
        ),
    ]
