"""The demo's second place: North Ayrshire, where the five priorities came from, with its own
copy of the agreement and areas. The Carnegie UK Trust signs there too, beside two local
organisations, so that `make run` shows a network of two places."""

from datetime import timedelta

from django.utils.text import slugify

from organisations.models import Organisation
from places.models import Area, Place

from .demo_pictures import picture_updates
from .models import Agreement, Commitment, Pledge, PledgeEvent, ProgressUpdate

SECOND = {
    "name": "North Ayrshire",
    "slug": "north-ayrshire",
    "gss_code": "S12000021",
    "contact_email": "kindness@north-ayrshire.example",
    "data_controller": "North Ayrshire Council",
    "privacy_email": "dataprotection@north-ayrshire.example",
}
# Its own words: the demo's agreement is North Ayrshire's, not Cheltenham's with a new name.
SECOND_AGREEMENT = {
    "title": "North Ayrshire Kindness Agreement",
    "summary": (
        "Councils, schools, charities and businesses in North Ayrshire agree to put kindness "
        "at the heart of how they work with children, families and one another."
    ),
    "body": (
        "North Ayrshire Council and its community planning partners began embedding kindness "
        "with the Carnegie UK Trust, and the five priorities below grew from that work.\n\n"
        "By signing this agreement, we promise to support children, families and one another "
        "with kindness, empathy and understanding, in our policies, our everyday practice and "
        "our decisions, including decisions about money.\n\n"
        "We will choose the priorities we commit to, say what we will do about each one, and "
        "report our progress in public.\n\n"
        "This is the demo's working text of the agreement."
    ),
}
AREAS = ["The whole of North Ayrshire", "Irvine", "Kilwinning", "Saltcoats", "Largs", "Arran"]
# (organisation, type, what it did first)
SIGNED = [
    (
        "Carnegie UK Trust",
        "charity",
        ("Learning from each other", "We shared what we learned in Cheltenham with Irvine."),
    ),
    (
        "Irvine Community Larder",
        "charity",
        ("A seat and a cup of tea", "Our volunteers now sit down with every visitor."),
    ),
    (
        "Kilwinning Academy",
        "school",
        ("Letters home, rewritten", "We rewrote our letters home with parents."),
    ),
]
# What each commits to, by priority number: each under the priority it describes.
COMMITMENTS = {
    1: "We will keep the first ten minutes of every visit for a conversation, not a form.",
    2: "We will share one story of kindness from our team each month.",
    3: "We will let staff spend up to fifty pounds to solve a family's problem on the spot.",
    4: "We will ask families twice a year what matters to them, and say what we changed.",
    5: "We will ask whether people felt treated kindly, and report it with our figures.",
}


def add_place(source: Agreement, now, *, areas: list[str], text: dict, **details):
    """A place with these areas (the first, the whole place), its agreement's own words
    (`text`: title, summary, body) and the source agreement's priorities, as its current
    version; return the place, its agreement and its priorities."""
    place = Place.objects.create(**details)
    Area.objects.bulk_create(
        Area(place=place, slug=slugify(name), name=name, position=index)
        for index, name in enumerate(areas)
    )
    agreement = Agreement.objects.create(
        place=place,
        version=1,
        title=text["title"],
        summary=text["summary"],
        body=text["body"],
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
    place, agreement, priorities = add_place(
        source, now, areas=AREAS, text=SECOND_AGREEMENT, **SECOND
    )
    whole = place.areas.first()
    added = 0
    photographed = []
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
                pledge=pledge, priority=priority, body=COMMITMENTS[priority.number]
            )
        # Recent, so that the network's page shows kindness from both places.
        posted_at = now - timedelta(days=2 + 3 * index)
        posted = ProgressUpdate.objects.create(
            pledge=pledge,
            title=update[0],
            body=update[1],
            status=ProgressUpdate.Status.PUBLISHED,
            published_at=posted_at,
            created_at=posted_at,
        )
        posted.priorities.set(priorities[index : index + 1])
        photographed.append(posted)
        added += 1
    ProgressUpdate.objects.bulk_update(
        picture_updates(photographed), ["image", "image_alt", "image_sizes"]
    )
    return added
