"""The signatories page's search text, kept on each public pledge, from what the public can see.

Only public content is indexed, so a search can never surface a draft or a hidden update; and
each pledge's text is its place's alone (the organisation's name and description, the pledge,
the updates posted in that place), so a search in one place never finds an organisation by
what it promised in another. `search_vector` (everything) decides what matches;
`search_rank_vector` (everything but the updates, so small) decides the relevance tier: a
match in the name above the pledge, the pledge above the organisation's description, and
those matched only by their updates after them all (registry.signatories.by_relevance).
"""

from django.db import connection

from organisations.models import Organisation

from .models import Commitment, Pledge, ProgressUpdate

CONFIG = "english"

# One statement for one organisation or all of them. It is SQL, not ORM expressions, because
# compiling the nested subqueries cost more than running them: half of every service call
# that changed public text. Table and status names come from the models;
# tests/test_public_site.py checks it against the same text built with the ORM. An update is
# public while its organisation's pledge in its place is published (ProgressUpdate.published),
# whichever version it was posted under; a pledge that is not public has no text.
SQL = """
    WITH commitment_text AS (
        SELECT c.pledge_id, string_agg(c.body, ' ') AS text
        FROM {commitment} c JOIN {pledge} p ON p.id = c.pledge_id
        WHERE p.status IN (%(published)s, %(withdrawn)s) {only_pledges}
        GROUP BY c.pledge_id
    ), update_text AS (
        SELECT p.organisation_id, p.place_id,
               string_agg(COALESCE(u.title, '') || ' ' || COALESCE(u.body, ''), ' ') AS text
        FROM {update} u JOIN {pledge} p ON p.id = u.pledge_id
        WHERE u.status = %(update_published)s {only_pledges}
        GROUP BY p.organisation_id, p.place_id
    )
    UPDATE {pledge} target SET search_vector = r.ranked || r.updates, search_rank_vector = r.ranked
    FROM (
        SELECT p.id,
               setweight(to_tsvector(%(config)s::regconfig, COALESCE(o.name, '')), 'A')
            || setweight(to_tsvector(%(config)s::regconfig,
                   COALESCE(p.statement, '') || ' ' || COALESCE(ct.text, '')), 'B')
            || setweight(to_tsvector(%(config)s::regconfig, COALESCE(o.description, '')), 'D')
               AS ranked,
               setweight(to_tsvector(%(config)s::regconfig,
                   CASE WHEN p.status = %(published)s THEN COALESCE(ut.text, '') ELSE '' END), 'C')
               AS updates
        FROM {pledge} p
        JOIN {organisation} o ON o.id = p.organisation_id
        LEFT JOIN commitment_text ct ON ct.pledge_id = p.id
        LEFT JOIN update_text ut
               ON ut.organisation_id = p.organisation_id AND ut.place_id = p.place_id
        WHERE p.status IN (%(published)s, %(withdrawn)s) AND p.published_at IS NOT NULL
              {only_pledges}
    ) r
    WHERE target.id = r.id
"""
# A pledge no longer public (suspended, superseded) loses its text.
CLEAR = """
    UPDATE {pledge} p SET search_vector = NULL, search_rank_vector = NULL
    WHERE p.search_vector IS NOT NULL
          AND NOT (p.status IN (%(published)s, %(withdrawn)s) AND p.published_at IS NOT NULL)
          {only_pledges}
"""


def refresh_search(organisation_ids=None) -> None:
    """Recompute the search text of these organisations' pledges (all of them when None):
    what a service changed, or the whole registry after the seed or an import."""
    qn = connection.ops.quote_name
    only = organisation_ids is not None
    names = {  # only the models' quoted table names and fixed filters go in
        "organisation": qn(Organisation._meta.db_table),
        "pledge": qn(Pledge._meta.db_table),
        "commitment": qn(Commitment._meta.db_table),
        "update": qn(ProgressUpdate._meta.db_table),
        "only_pledges": "AND p.organisation_id = ANY(%(ids)s)" if only else "",
    }
    values = {
        "published": Pledge.Status.PUBLISHED,
        "withdrawn": Pledge.Status.WITHDRAWN,
        "update_published": ProgressUpdate.Status.PUBLISHED,
        "config": CONFIG,
        "ids": list(organisation_ids) if only else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(**names), values)
        cursor.execute(CLEAR.format(**names), values)


def on_profile_changed(sender, organisation, **kwargs) -> None:
    """organisations.signals.profile_changed: the name or description is part of the text."""
    refresh_search([organisation.pk])
