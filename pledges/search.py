"""The directory's search text, kept on each organisation, from what the public can see.

Only public content is indexed, so a search can never surface a draft or a hidden update.
`search_vector` (everything) decides what matches; `search_rank_vector` (everything but the
updates, so small) decides the order: a match in the name above the pledge, the pledge above
the organisation's description, and those matched only by their updates after them all.
Ranking by the whole text read every matching organisation's stories, so a broad search grew
with the registry (docs/performance.md).
"""

from django.db import connection

from organisations.models import Organisation

from .models import Commitment, Pledge, ProgressUpdate

CONFIG = "english"

# One statement for one organisation or all of them. It is SQL, not ORM expressions, because
# compiling the nested subqueries cost more than running them: half of every service call
# that changed public text. Table and status names come from the models;
# tests/test_public_site.py checks it against the same text built with the ORM.
SQL = """
    WITH commitment_text AS (
        SELECT c.pledge_id, string_agg(c.body, ' ') AS text
        FROM {commitment} c JOIN {pledge} p ON p.id = c.pledge_id
        WHERE TRUE {only_pledges}
        GROUP BY c.pledge_id
    ), pledge_text AS (
        SELECT p.organisation_id,
               string_agg(COALESCE(p.statement, '') || ' ' || COALESCE(c.text, ''), ' ') AS text
        FROM {pledge} p LEFT JOIN commitment_text c ON c.pledge_id = p.id
        WHERE p.status IN (%(published)s, %(withdrawn)s) AND p.published_at IS NOT NULL
              {only_pledges}
        GROUP BY p.organisation_id
    ), update_text AS (
        SELECT p.organisation_id,
               string_agg(COALESCE(u.title, '') || ' ' || COALESCE(u.body, ''), ' ') AS text
        FROM {update} u JOIN {pledge} p ON p.id = u.pledge_id
        WHERE u.status = %(update_published)s AND p.status = %(published)s {only_pledges}
        GROUP BY p.organisation_id
    )
    UPDATE {organisation} o SET search_vector = r.ranked || r.updates,
                                search_rank_vector = r.ranked
    FROM (
        SELECT o2.id,
               setweight(to_tsvector(%(config)s::regconfig, COALESCE(o2.name, '')), 'A')
            || setweight(to_tsvector(%(config)s::regconfig, COALESCE(pt.text, '')), 'B')
            || setweight(to_tsvector(%(config)s::regconfig, COALESCE(o2.description, '')), 'D')
               AS ranked,
               setweight(to_tsvector(%(config)s::regconfig, COALESCE(ut.text, '')), 'C')
               AS updates
        FROM {organisation} o2
        LEFT JOIN pledge_text pt ON pt.organisation_id = o2.id
        LEFT JOIN update_text ut ON ut.organisation_id = o2.id
        WHERE TRUE {only_organisations}
    ) r
    WHERE o.id = r.id
"""


def refresh_search(organisation_ids=None) -> None:
    """Recompute the search text of these organisations (all of them when None): what a
    service changed, or the whole registry after the seed or an import, in one statement."""
    qn = connection.ops.quote_name
    only = organisation_ids is not None
    sql = SQL.format(  # only the models' quoted table names and fixed filters go in
        organisation=qn(Organisation._meta.db_table),
        pledge=qn(Pledge._meta.db_table),
        commitment=qn(Commitment._meta.db_table),
        update=qn(ProgressUpdate._meta.db_table),
        only_pledges="AND p.organisation_id = ANY(%(ids)s)" if only else "",
        only_organisations="AND o2.id = ANY(%(ids)s)" if only else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "published": Pledge.Status.PUBLISHED,
                "withdrawn": Pledge.Status.WITHDRAWN,
                "update_published": ProgressUpdate.Status.PUBLISHED,
                "config": CONFIG,
                "ids": list(organisation_ids) if only else None,
            },
        )


def on_profile_changed(sender, organisation, **kwargs) -> None:
    """organisations.signals.profile_changed: the name or description is part of the text."""
    refresh_search([organisation.pk])
