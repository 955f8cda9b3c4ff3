"""The directory's search text, kept on each organisation, from what the public can see.

Only public content is indexed, so a search can never surface a draft or a hidden update.
`search_vector` (everything) decides what matches; `search_rank_vector` (everything but the
updates, so small) decides the order: a match in the name above the pledge, the pledge above
the organisation's description, and those matched only by their updates after them all.
Ranking by the whole text read every matching organisation's stories, so a broad search grew
with the registry (docs/performance.md).
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

from organisations.models import Organisation

from .models import Commitment, Pledge, ProgressUpdate

CONFIG = "english"
EMPTY = Value("", output_field=TextField())


def _joined(queryset, group_by, expression):
    """One string: `expression` of each row of `queryset`, joined with spaces."""
    return Subquery(
        queryset.values(group_by)
        .annotate(text=StringAgg(expression, " ", output_field=TextField()))
        .values("text")
    )


def _texts():
    """The organisation's public pledge text and update text, in the outer query."""
    commitments = _joined(Commitment.objects.filter(pledge=OuterRef("pk")), "pledge", "body")
    pledges = Pledge.objects.public().filter(organisation=OuterRef("pk"))
    updates = ProgressUpdate.objects.published().filter(pledge__organisation=OuterRef("pk"))
    pledge_text = _joined(
        pledges,
        "organisation",
        Concat("statement", Value(" "), Coalesce(commitments, EMPTY), output_field=TextField()),
    )
    update_text = _joined(
        updates,
        "pledge__organisation",
        Concat("title", Value(" "), "body", output_field=TextField()),
    )
    return Coalesce(pledge_text, EMPTY), Coalesce(update_text, EMPTY)


def search_rank_vector():
    """The text that orders matches: the organisation's name, pledge and description."""
    pledge_text, _ = _texts()
    return (
        SearchVector("name", weight="A", config=CONFIG)
        + SearchVector(pledge_text, weight="B", config=CONFIG)
        + SearchVector("description", weight="D", config=CONFIG)
    )


def search_vector():
    """The text that matches: as `search_rank_vector`, and the published updates."""
    _, update_text = _texts()
    return search_rank_vector() + SearchVector(update_text, weight="C", config=CONFIG)


def refresh_search(organisation_ids=None) -> None:
    """Recompute the search text of these organisations (all of them when None).

    A few organisations (what a service changed) take the correlated subqueries above; all
    of them (the seed, an import) take `_refresh_all`, which aggregates each kind of text
    once for the whole registry instead of once per organisation."""
    if organisation_ids is None:
        _refresh_all()
        return
    Organisation.objects.filter(pk__in=list(organisation_ids)).update(
        search_vector=search_vector(), search_rank_vector=search_rank_vector()
    )


def _refresh_all() -> None:
    """The same text as `search_vector`, set-based: one UPDATE joined to grouped texts.
    Table and status names come from the models; tests compare it with the ORM version."""
    qn = connection.ops.quote_name
    tables = {
        "organisation": qn(Organisation._meta.db_table),
        "pledge": qn(Pledge._meta.db_table),
        "commitment": qn(Commitment._meta.db_table),
        "update": qn(ProgressUpdate._meta.db_table),
    }
    sql = """
        WITH commitment_text AS (
            SELECT pledge_id, string_agg(body, ' ') AS text FROM {commitment} GROUP BY pledge_id
        ), pledge_text AS (
            SELECT p.organisation_id,
                   string_agg(COALESCE(p.statement, '') || ' ' || COALESCE(c.text, ''), ' ') AS text
            FROM {pledge} p LEFT JOIN commitment_text c ON c.pledge_id = p.id
            WHERE p.status IN (%(published)s, %(withdrawn)s) AND p.published_at IS NOT NULL
            GROUP BY p.organisation_id
        ), update_text AS (
            SELECT p.organisation_id,
                   string_agg(COALESCE(u.title, '') || ' ' || COALESCE(u.body, ''), ' ') AS text
            FROM {update} u JOIN {pledge} p ON p.id = u.pledge_id
            WHERE u.status = %(update_published)s AND p.status = %(published)s
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
        ) r
        WHERE o.id = r.id
    """.format(**tables)  # noqa: S608 - only the models' quoted table names are formatted in
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "published": Pledge.Status.PUBLISHED,
                "withdrawn": Pledge.Status.WITHDRAWN,
                "update_published": ProgressUpdate.Status.PUBLISHED,
                "config": CONFIG,
            },
        )


def on_profile_changed(sender, organisation, **kwargs) -> None:
    """organisations.signals.profile_changed: the name or description is part of the text."""
    refresh_search([organisation.pk])
