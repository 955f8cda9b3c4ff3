"""The public commitments directory query: search, filters and sort in one place."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.functions import Lower

from pledges.models import Commitment, Pledge


def directory(filters: dict):
    """Public pledges, one per organisation (its latest), filtered as asked."""
    statuses = [Pledge.Status.PUBLISHED]
    if filters.get("withdrawn"):
        statuses.append(Pledge.Status.WITHDRAWN)
    newer = Pledge.objects.filter(
        organisation=OuterRef("organisation"),
        status__in=statuses,
        published_at__gt=OuterRef("published_at"),
    )
    pledges = (
        Pledge.objects.public()
        .filter(status__in=statuses)
        .exclude(Exists(newer))
        .with_reported_at()
        .select_related("organisation", "agreement")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.select_related("priority"))
        )
    )
    if filters.get("status"):
        pledges = pledges.with_reporting_status(filters["status"])
    if filters.get("type"):
        pledges = pledges.filter(organisation__type=filters["type"])
    if filters.get("area"):
        pledges = pledges.filter(organisation__area=filters["area"])
    if filters.get("priority"):
        pledges = pledges.filter(
            Exists(
                Commitment.objects.filter(pledge=OuterRef("pk"), priority__slug=filters["priority"])
            )
        )
    query = (filters.get("q") or "").strip()
    if query:
        search = SearchQuery(query, config="english", search_type="websearch")
        pledges = pledges.filter(organisation__search_vector=search).annotate(
            rank=SearchRank(F("organisation__search_vector"), search)
        )
    sort = filters.get("sort") or ("relevance" if query else "name")
    ordering = {
        "relevance": ["-rank", Lower("organisation__name")],
        "name": [Lower("organisation__name")],
        "joined": ["-published_at"],
        "updated": [F("reported_at").desc(nulls_last=True)],
    }[sort]
    return pledges.order_by(*ordering, "pk")
