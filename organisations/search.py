"""Full-text search over what the public can see, with PostgreSQL's core text search."""

from django.db import connection

# Only published content is indexed, so search can never surface a draft or hidden update.
REFRESH_SQL = """
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


def refresh_search_vectors(organisation_ids=None) -> None:
    """Recompute the search text of these organisations (all of them when None)."""
    with connection.cursor() as cursor:
        if organisation_ids is None:
            cursor.execute(REFRESH_SQL)
        else:
            cursor.execute(REFRESH_SQL + " WHERE o.id = ANY(%s)", [list(organisation_ids)])
