"""The signatories query: search, filters and sort in one place."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVectorExact
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import Lower

from core.paging import PagedChain, public_value
from pledges.models import RELEVANCE_TIERS, Commitment, Pledge, ranked_text_part

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


def matching(filters: dict):
    """Public pledges of the place (`filters["place"]`; one per organisation), filtered and
    searched as asked, in no order: the withdrawn ones only when asked for."""
    pledges = Pledge.objects.public()
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
        pledges = pledges.filter(search_vector=_search(query))
    return pledges


SORTS = {
    "name": [Lower("organisation__name")],
    "joined": ["-published_at"],
    "updated": [F("reported_at").desc(nulls_last=True)],
}


def signatories(filters: dict):
    """The pledges `matching` the filters, as lists show them, sorted as asked (by name when
    not; relevance is `by_relevance`'s)."""
    return _sorted(matching(filters), filters).for_lists()


def _sorted(pledges, filters):
    sort = SORTS.get(filters.get("sort"), SORTS["name"])
    return pledges.with_reported_at().order_by(*sort, "pk")


def signatory_ids(filters: dict):
    """What the signatories page pages through: the ids of the pledges it lists, in order."""
    if filters.get("q") and filters.get("sort") in (None, "", "relevance"):
        return by_relevance(filters)
    return _sorted(matching(filters), filters).values_list("pk", flat=True)


def pledges_in_order(ids) -> list:
    """The pledges of one page, as lists show them, in the page's order."""
    ids = list(ids)
    found = Pledge.objects.with_reported_at().for_lists().in_bulk(ids)
    return [found[pk] for pk in ids]  # pledges are never deleted


def _search(query: str) -> SearchQuery:
    return SearchQuery(query, config="english", search_type="websearch")


def by_relevance(filters: dict) -> PagedChain:
    """The signatories searched and sorted by relevance: the organisations whose name alone
    matches, then those that need their pledge too, then their description, then their
    updates (`RELEVANCE_TIERS`); by name within each. Rows are the pledges' ids.

    Each tier is read in name order and stops at the page, so a broad word that matches
    nearly every organisation costs what a rare one does. A rank computed for every match,
    then sorted, grew with the registry (docs/performance.md)."""
    search = _search(search_text(filters.get("q")))
    matched = matching(filters)
    tiers = {f"tier{i}": ranked_text_part(letters) for i, letters in enumerate(RELEVANCE_TIERS)}
    parts = []
    for index, name in enumerate([*tiers, None]):  # None: anywhere, the updates too
        part = matched.alias(**tiers)
        if name:
            part = part.filter(**{name: search})
        if index:  # the tiers nest: not in the one before is in none before
            part = part.exclude(**{f"tier{index - 1}": search})
        parts.append(part.order_by(Lower("organisation__name"), "pk").values_list("pk", flat=True))

    def sizes():
        # One count of each tier (they nest), read once until public data changes.
        within = matched.aggregate(
            **{
                name: Count("pk", filter=SearchVectorExact(part, search))
                for name, part in tiers.items()
            },
            all=Count("pk"),
        )
        nested = [within[name] for name in tiers] + [within["all"]]
        return [size - ([0, *nested][index]) for index, size in enumerate(nested)]

    return PagedChain(parts, lambda: public_value("tiers", matched, sizes))


def plan_for_search() -> None:
    """Inside the search's transaction: plan as for solid-state disks, from the indexes, in
    one process, and sort in memory.

    PostgreSQL's estimates left alone, a broad search read every organisation's full search
    text (sequentially, or at the default random_page_cost of 4.0) although the text index
    already knows which match; started parallel workers that cost more than the page; and
    spilled sorts to disk with the default 4 MB work_mem. Each grew with the registry
    (docs/performance.md). SET LOCAL ends with the transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
