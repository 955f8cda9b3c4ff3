# The organisations app adds the search column; this app owns what goes in it, so it fills it
# here. The statement is a frozen copy of pledges.search at the time, as migrations must be.

from django.db import migrations

FILL = """
UPDATE organisations_organisation o SET search_vector =
    setweight(to_tsvector('english', o.name), 'A')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(p.statement || ' ' || coalesce((
            SELECT string_agg(c.body, ' ') FROM pledges_commitment c WHERE c.pledge_id = p.id
        ), ''), ' ')
        FROM pledges_pledge p
        WHERE p.organisation_id = o.id AND p.status IN ('published', 'withdrawn')
    ), '')), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(u.title || ' ' || u.body, ' ')
        FROM pledges_progressupdate u JOIN pledges_pledge p2 ON p2.id = u.pledge_id
        WHERE p2.organisation_id = o.id AND p2.status = 'published' AND u.status = 'published'
    ), '')), 'C')
    || setweight(to_tsvector('english', o.description), 'D')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0005_pledgeevent_append_only"),
        ("organisations", "0003_search_vector"),
    ]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
