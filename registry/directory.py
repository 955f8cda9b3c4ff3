"""The public commitments directory query: search, filters and sort in one place."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Lower

from pledges.models import Commitment, Pledge

MAX_TERMS = 12
# A quoted phrase (perhaps left open) or a run of non-space characters, each perhaps negated.
_TERM = re.compile(r'-*"[^"]*"?|\S+')


def search_text(query: str) -> str:
    """The search as PostgreSQL's websearch syntax will read it, bounded: at most MAX_TERMS
    terms, each with at most one leading minus. Runs of minus signs nest NOT operators until
    PostgreSQL refuses the query ("tsquery stack too small")."""
    terms = []
    for term in _TERM.findall(query or ""):
        term = re.sub(r"^-+", "-", term)
        if term.strip('-"'):
            terms.append(term)
    return " ".join(terms[:MAX_TERMS])


def directory(filters: dict):
    """Public pledges of the place (`filters["place"]`; one per organisation), filtered as
    asked: the withdrawn ones only when asked for."""
    pledges = Pledge.objects.public().with_reported_at().for_lists()
    if "place" in filters:  # without one, the API's list of the whole network
        pledges = pledges.in_place(filters["place"])
    if not filters.get("withdrawn"):
        pledges = pledges.filter(status=Pledge.Status.PUBLISHED)
    if filters.get("status"):
        pledges = pledges.with_reporting_status(filters["status"])
    if filters.get("type"):
        pledges = pledges.filter(organisation__type=filters["type"])
    if filters.get("area"):
        pledges = pledges.filter(area__slug=filters["area"])
    if filters.get("priority"):
        pledges = pledges.filter(
            Exists(
                Commitment.objects.filter(pledge=OuterRef("pk"), priority__slug=filters["priority"])
            )
        )
    query = search_text(filters.get("q"))
    if query:
        search = SearchQuery(query, config="english", search_type="websearch")
        pledges = pledges.filter(organisation__search_vector=search).annotate(
            rank=SearchRank(F("organisation__search_rank_vector"), search)
        )
    sort = filters.get("sort") or ("relevance" if query else "name")
    ordering = {
        "relevance": ["-rank", Lower("organisation__name")],
        "name": [Lower("organisation__name")],
        "joined": ["-published_at"],
        "updated": [F("reported_at").desc(nulls_last=True)],
    }[sort]
    return pledges.order_by(*ordering, "pk")


def plan_for_search() -> None:
    """Inside the search's transaction: plan as for solid-state disks, and sort in memory.

    With the default random_page_cost (4.0) PostgreSQL read every organisation's full search
    text when a search matched many of them, although the text index already knows which
    match; and a broad search's ranking (8,000 matches on 20,000 organisations) spilled to
    disk with the default 4 MB work_mem. Both grew with the registry (docs/performance.md).
    SET LOCAL ends with the transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
