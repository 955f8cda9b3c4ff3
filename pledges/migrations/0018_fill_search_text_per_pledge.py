"""Fill each public pledge's search text, from a frozen copy of pledges.search at the time, as
migrations must be, and analyse the table for the new indexes."""

from django.db import migrations

FILL = """
    WITH commitment_text AS (
        SELECT c.pledge_id, string_agg(c.body, ' ') AS text
        FROM pledges_commitment c GROUP BY c.pledge_id
    ), update_text AS (
        SELECT p.organisation_id, p.place_id,
               string_agg(COALESCE(u.title, '') || ' ' || COALESCE(u.body, ''), ' ') AS text
        FROM pledges_progressupdate u JOIN pledges_pledge p ON p.id = u.pledge_id
        WHERE u.status = 'published'
        GROUP BY p.organisation_id, p.place_id
    )
    UPDATE pledges_pledge target SET search_vector = r.ranked || r.updates,
                                     search_rank_vector = r.ranked
    FROM (
        SELECT p.id,
               setweight(to_tsvector('english', COALESCE(o.name, '')), 'A')
            || setweight(to_tsvector('english',
                   COALESCE(p.statement, '') || ' ' || COALESCE(ct.text, '')), 'B')
            || setweight(to_tsvector('english', COALESCE(o.description, '')), 'D') AS ranked,
               setweight(to_tsvector('english',
                   CASE WHEN p.status = 'published' THEN COALESCE(ut.text, '') ELSE '' END), 'C')
               AS updates
        FROM pledges_pledge p
        JOIN organisations_organisation o ON o.id = p.organisation_id
        LEFT JOIN commitment_text ct ON ct.pledge_id = p.id
        LEFT JOIN update_text ut
               ON ut.organisation_id = p.organisation_id AND ut.place_id = p.place_id
        WHERE p.status IN ('published', 'withdrawn') AND p.published_at IS NOT NULL
    ) r
    WHERE target.id = r.id
"""


class Migration(migrations.Migration):
    dependencies = [("pledges", "0017_search_text_per_pledge")]
    operations = [
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        # The relevance tiers' indexes are on expressions: without statistics on them the
        # planner cannot tell a broad word from a rare one until autovacuum comes by.
        migrations.RunSQL("ANALYZE pledges_pledge", migrations.RunSQL.noop),
    ]
