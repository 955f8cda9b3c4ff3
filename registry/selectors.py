"""Named reads the public pages assemble from several models. They never write."""

from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils.translation import gettext as _

from core.paging import PagedUnion
from core.public import remembered
from core.versions import EVERYTHING_SCOPE
from places.models import Place
from pledges import stats
from pledges.models import Commitment, Pledge, PledgeEvent, ProgressUpdate
from stories.models import Story
from stories.selectors import stories_about


def public_record(organisation, pledge) -> dict:
    """What an organisation's page shows of its public pledge: the grid of priorities with
    each commitment's wording history, its latest updates, and its dated public history."""
    committed = {commitment.priority_id: commitment for commitment in pledge.commitments.all()}
    histories = defaultdict(list)
    for record in Commitment.history.filter(id__in=[c.pk for c in committed.values()]).order_by(
        "-history_date"
    ):
        histories[record.id].append(record)
    grid = [
        {
            "priority": priority,
            "commitment": committed.get(priority.pk),
            "change": last_change(committed.get(priority.pk), histories, since=pledge.published_at),
        }
        for priority in pledge.agreement.priorities.all()
    ]
    is_published = pledge.status == Pledge.Status.PUBLISHED
    updates = list(
        ProgressUpdate.objects.published()
        .filter(pledge__organisation=organisation, pledge__place=pledge.place_id)
        .select_related("pledge")
        .prefetch_related("priorities")[:20]
        if is_published
        else []
    )
    events = pledge.events.filter(
        action__in=[
            PledgeEvent.Action.PUBLISHED,
            PledgeEvent.Action.WITHDRAWN,
            PledgeEvent.Action.COMMITMENT_CHANGED,
        ]
    )[:50]
    return {
        "grid": grid,
        "chosen_count": len(committed),
        "updates": updates,
        "stories": stories_about(organisation, pledge.place_id),
        "history": public_history(
            pledge, events, updates, earlier_pledges(organisation, pledge.place_id)
        ),
    }


def last_change(commitment, histories, *, since):
    """Every wording the commitment has had since publication, dated; None if never changed.

    Returns the date of the latest change and the earlier wordings, newest first, each with
    the dates it stood. Drafts before publication are not public history, so the wording at
    publication is the first; saves that changed only the progress are not changes of wording.
    """
    if commitment is None:
        return None
    wordings = []  # (body, from), oldest first
    for record in reversed(histories[commitment.pk]):  # the records come newest first
        if record.history_date <= since:
            wordings = [(record.body, since)]
        elif not wordings or record.body != wordings[-1][0]:
            wordings.append((record.body, record.history_date))
    if len(wordings) < 2:
        return None
    earlier = [
        {"body": body, "from": start, "until": wordings[index + 1][1]}
        for index, (body, start) in enumerate(wordings[:-1])
    ]
    return {"date": wordings[-1][1], "earlier": earlier[::-1]}


def earlier_pledges(organisation, place):
    """The pledges a newer one in the place superseded, with their versions: part of its
    public history there."""
    return Pledge.objects.filter(
        organisation=organisation, place=place, status=Pledge.Status.SUPERSEDED
    ).select_related("agreement")


def public_history(pledge, events, updates, earlier=()):
    """A dated list of what happened, newest first, from events, published updates and the
    earlier versions' pledges."""
    items = [{"date": pledge.published_at, "text": _signed(pledge)}]
    for older in earlier:
        items.append({"date": older.published_at, "text": _signed(older)})
        items.append(
            {
                "date": older.superseded_at,
                "text": _("Version %(version)s of its pledge was replaced by a newer one")
                % {"version": older.agreement.version},
            }
        )
    for event in events:
        if event.action == PledgeEvent.Action.COMMITMENT_CHANGED:
            text = _("Changed its commitment to “%(priority)s”") % {"priority": event.reason}
            items.append({"date": event.created_at, "text": text})
        elif event.action == PledgeEvent.Action.WITHDRAWN:
            items.append(
                {"date": event.created_at, "text": _("Withdrew from the Community Agreement")}
            )
    for update in updates:
        items.append(
            {
                "date": update.published_at,
                "text": _("Posted an update: %(title)s") % {"title": update.title},
                "url": update.get_absolute_url(),
            }
        )
    return sorted(items, key=lambda item: item["date"], reverse=True)


def _signed(pledge):
    return _("Signed version %(version)s of the Community Agreement") % {
        "version": pledge.agreement.version
    }


def wall_entries(place, filters: dict, *, show: str = ""):
    """The progress updates wall's entries, newest first: partners' updates and residents'
    stories together (a `PagedUnion`), or either apart (`show`), each filtered alike: (kind, pk,
    at) rows that a paginator can count and slice; `wall_items` loads a page."""
    updates = ProgressUpdate.objects.published().in_place(place)
    stories = Story.objects.public().in_place(place)
    if filters.get("priority"):
        updates = updates.filter(priorities__slug=filters["priority"])
        stories = stories.about_priority(filters["priority"])
    if filters.get("type"):
        updates = updates.filter(pledge__organisation__type=filters["type"])
        stories = stories.filter(organisation__type=filters["type"])
    if filters.get("area"):
        updates = updates.filter(pledge__area__slug=filters["area"])
        # A story said where it happened, or happened at an organisation serving the area.
        serves = Pledge.objects.public().filter(
            organisation=OuterRef("organisation_id"),
            place=OuterRef("place_id"),
            area__slug=filters["area"],
        )
        stories = stories.filter(Q(area__slug=filters["area"]) | Exists(serves))
    rows = {
        "updates": updates.annotate(kind=Value("update")).values_list("kind", "pk", "published_at"),
        "stories": stories.annotate(kind=Value("story")).values_list("kind", "pk", "published_at"),
    }
    if show in rows:
        return rows[show].order_by(*NEWEST_FIRST)
    return PagedUnion(rows.values(), NEWEST_FIRST)


NEWEST_FIRST = ("-published_at", "-pk")  # the wall's order; "pk" keeps a page's place fixed


def wall_items(rows) -> list:
    """(kind, item) for the updates and stories of one page of `wall_entries`, in its order,
    in two queries (three with the updates' priorities)."""
    keys = [(kind, pk) for kind, pk, _at in rows]
    found = {
        ("update", item.pk): item
        for item in ProgressUpdate.objects.filter(
            pk__in=[pk for kind, pk in keys if kind == "update"]
        )
        .select_related("pledge__organisation")
        .prefetch_related("priorities")
    }
    found.update(
        {
            ("story", item.pk): item
            for item in Story.objects.filter(
                pk__in=[pk for kind, pk in keys if kind == "story"]
            ).select_related("organisation", "priority", "area", "place")
        }
    )
    return [(key[0], found[key]) for key in keys if key in found]


UPDATE_CARD_FIELDS = (
    *("title", "image", "image_sizes", "image_alt", "published_at", "pledge"),
    *("pledge__place", "pledge__organisation", "pledge__organisation__name"),
)


def network_latest(limit: int = 6) -> dict:
    """The newest kindness from every place, for the network's page: progress updates with a
    photo, each with its place's name (`place_name`), and residents' stories, each with its
    place loaded (a story about nowhere in particular names it). Unread querysets:
    the page renders them once per version (`{% public_fragment %}`), not for each search."""
    updates = (
        ProgressUpdate.objects.published()
        .exclude(image="")
        .select_related("pledge__organisation")
        .annotate(place_name=F("pledge__place__name"))  # not each Place: 2 ms of 10
        # What a card shows, not each organisation's and pledge's long texts: 2.5 ms more.
        .only(*UPDATE_CARD_FIELDS)
        .prefetch_related("priorities")
        .order_by("-published_at", "-pk")[:limit]
    )
    stories = (
        Story.objects.public()
        .select_related("organisation", "priority", "area", "place")
        .order_by("-published_at", "-pk")[:limit]
    )
    return {"photos": updates, "stories": stories}


NO_FIGURES = {"signed": 0, "updates": 0, "on_time": 0, "published": 0}


@remembered(scope=EVERYTHING_SCOPE)
def every_place() -> tuple:
    """Every place as (id, short name, name), by name: read again only when a place opens
    (a change no place owns), not after every change in one of a thousand places."""
    return tuple(Place.objects.order_by("name").values_list("pk", "slug", "name"))


@remembered
def network_places(quarter_start, shown: int) -> list:
    """The `shown` places with the most organisations signed, with their figures, as
    (place, figures) rows by name: for the network's page, read once until public data
    changes, so that every search of the page costs none of it, whatever the number of
    places. Each place's figures are kept until its own place changes
    (`stats.network_figures`). Not the list of places, kept apart (`every_place`): kept
    here too, it was written to the shared cache again after every change."""
    every = every_place()
    figures = stats.network_figures(quarter_start, [pk for pk, _slug, _name in every])
    figures = {pk: found or NO_FIGURES for pk, found in figures.items()}
    busiest = sorted(every, key=lambda place: -figures[place[0]]["signed"])[:shown]
    chosen = {pk for pk, _slug, _name in busiest}
    rows = [({"slug": slug, "name": name}, figures[pk]) for pk, slug, name in every if pk in chosen]
    return rows
