"""The demo's second place: North Ayrshire, where the five priorities came from, with its own
copy of the agreement and areas. The Carnegie UK Trust signs there too, beside two local
organisations, so that `make run` shows a network of two places."""

from datetime import timedelta

from django.utils.text import slugify

from organisations.models import Organisation
from places.models import Area, Place

from .models import Agreement, Commitment, Pledge, PledgeEvent, ProgressUpdate

SECOND = {
    "name": "North Ayrshire",
    "slug": "north-ayrshire",
    "contact_email": "kindness@north-ayrshire.example",
    "data_controller": "North Ayrshire Council",
    "privacy_email": "dataprotection@north-ayrshire.example",
}
AREAS = ["The whole of North Ayrshire", "Irvine", "Kilwinning", "Saltcoats", "Largs", "Arran"]
# (organisation, type, what it did first)
SIGNED = [
    ("Carnegie UK Trust", "charity", "We shared what we learned in Cheltenham with Irvine."),
    ("Irvine Community Larder", "charity", "Our volunteers now sit down with every visitor."),
    ("Kilwinning Academy", "school", "We rewrote our letters home with parents."),
]


def add_place(source: Agreement, now, *, areas: list[str], **details):
    """A place with these areas (the first, the whole place) and a copy of the source
    agreement as its current version; return the place, its agreement and its priorities."""
    place = Place.objects.create(**details)
    Area.objects.bulk_create(
        Area(place=place, slug=slugify(name), name=name, position=index)
        for index, name in enumerate(areas)
    )
    agreement = Agreement.objects.create(
        place=place,
        version=1,
        title=source.title,
        summary=source.summary.replace("Cheltenham", place.name),
        body=source.body.replace("Cheltenham", place.name),
        published_at=now - timedelta(days=200),
        is_current=True,
    )
    priorities = []
    for priority in source.priorities.all():
        priority.pk, priority.agreement = None, agreement
        priority.save()
        priorities.append(priority)
    return place, agreement, priorities


def add_second_place(source: Agreement, now) -> int:
    """Add North Ayrshire and its pledges once; return how many pledges were added."""
    if Place.objects.filter(slug=SECOND["slug"]).exists():
        return 0
    place, agreement, priorities = add_place(source, now, areas=AREAS, **SECOND)
    whole = place.areas.first()
    added = 0
    for index, (name, type_, update) in enumerate(SIGNED):
        organisation, _created = Organisation.objects.get_or_create(
            slug=slugify(name),
            defaults={"name": name, "type": type_},
        )
        signed = now - timedelta(days=150 - 20 * index)
        pledge = Pledge.objects.create(
            organisation=organisation,
            agreement=agreement,
            area=whole,
            status=Pledge.Status.PUBLISHED,
            is_authorised=True,
            signatory_name="Morag Campbell",
            signatory_role="Chief executive",
            statement=f"{name} signs North Ayrshire's community agreement.",
            created_at=signed,
            submitted_at=signed,
            published_at=signed,
            last_reported_at=signed + timedelta(days=30),
        )
        PledgeEvent.objects.bulk_create(
            PledgeEvent(pledge=pledge, action=action, created_at=signed)
            for action in (PledgeEvent.Action.SUBMITTED, PledgeEvent.Action.PUBLISHED)
        )
        for priority in priorities[index : index + 2]:
            Commitment.objects.create(
                pledge=pledge, priority=priority, body="We will make time to listen."
            )
        posted = ProgressUpdate.objects.create(
            pledge=pledge,
            title="What changed first",
            body=update,
            status=ProgressUpdate.Status.PUBLISHED,
            published_at=signed + timedelta(days=30),
            created_at=signed + timedelta(days=30),
        )
        posted.priorities.set(priorities[index : index + 1])
        added += 1
    return added
