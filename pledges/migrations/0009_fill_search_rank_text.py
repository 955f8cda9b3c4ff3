# The organisations app adds the rank column; this app owns what goes in it, so it fills it
# here, from a frozen copy of pledges.search at the time, as migrations must be.

from django.db import migrations

FILL = """
UPDATE organisations_organisation o SET search_rank_vector =
    setweight(to_tsvector('english', coalesce(o.name, '')), 'A')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(coalesce(p.statement, '') || ' ' || coalesce((
            SELECT string_agg(c.body, ' ') FROM pledges_commitment c WHERE c.pledge_id = p.id
        ), ''), ' ')
        FROM pledges_pledge p
        WHERE p.organisation_id = o.id AND p.status IN ('published', 'withdrawn')
          AND p.published_at IS NOT NULL
    ), '')), 'B')
    || setweight(to_tsvector('english', coalesce(o.description, '')), 'D')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0008_moderation_reminders_concerns_versions_stories"),
        ("organisations", "0006_search_rank_vector"),
    ]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
