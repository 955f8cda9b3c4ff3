"""The demo town's residents' stories: published ones on the pages at once, and a few waiting
for the demo moderator (one of them flagged). Written in bulk, without emails."""

from datetime import timedelta

from django.utils import timezone

from places.models import Place
from pledges.models import Priority
from pledges.selectors import signed_organisations

from .flags import flag_words_in
from .models import Story, duplicate_key, token_digest

# (organisation name or None, area, priority slug or None, name shown, days ago, story)
PUBLISHED = [
    (
        "Cheltenham Food Bank",
        "",
        "make-time-for-relationships",
        "Maria",
        3,
        "The volunteer asked what we like to eat before packing our bag, and made a cup of "
        "tea while we waited. I did not feel judged for a moment.",
    ),
    (
        "Oakwood Primary School",
        "hesters-way",
        "listen-to-what-matters",
        "",
        9,
        "When I said I could not afford the school trip, the office quietly found a way, "
        "and nobody else ever knew. Thank you.",
    ),
    (
        "Leisure at Cheltenham",
        "pittville",
        "give-permission-to-act",
        "Tom",
        16,
        "The lifeguard showed my nervous teenager the quiet times to swim, and now we go "
        "every Sunday.",
    ),
    (
        None,
        "st-pauls",
        None,
        "Priya",
        21,
        "A neighbour noticed our bins had not gone out while I was in hospital and did it "
        "every week until I was home.",
    ),
    (
        "Cheltenham Borough Council",
        "cheltenham",
        "let-values-guide-decisions",
        "",
        34,
        "The housing officer rang back when she said she would, explained every step in "
        "plain words, and gave me her direct number.",
    ),
    (
        "Springbank Family Centre",
        "springbank",
        "make-kindness-visible",
        "Jo",
        52,
        "They remembered our names from the first visit. It sounds small, but it made the "
        "second visit so much easier.",
    ),
]
WAITING = [
    (
        "Leckhampton Book Swap",
        "leckhampton",
        "make-kindness-visible",
        "Alex",
        1,
        "Someone left a note in a book saying 'you are doing better than you think'. I kept it.",
    ),
    (
        "Prestbury Youth Club",
        "prestbury",
        "listen-to-what-matters",
        "",
        2,
        "The youth worker sat with my son Jamie, aged 13, after a hard week at school and "
        "just listened.",
    ),  # names a child: the flag words catch it for the moderator
    (
        None,
        "",
        None,
        "Chris",
        4,
        "The bus driver waited while I folded the buggy, and told the other passengers there "
        "was no rush.",
    ),
]
# North Ayrshire's, when the demo has it (published; none waiting).
AYRSHIRE = [
    (
        "Irvine Community Larder",
        "irvine",
        "make-time-for-relationships",
        "Fiona",
        1,
        "They kept a seat by the radiator for me and asked how my week had been. I left "
        "with my shopping and a bit more hope.",
    ),
    (
        None,
        "largs",
        None,
        "",
        6,
        "The man in the chip shop saw I was short and said I could pay him next time. I did, "
        "and he remembered my name.",
    ),
]
DEMO_ADDRESS = "resident{}@demo.kindness.example"


def add_demo_stories() -> int:
    """Add the demo stories not yet present, in each demo place there is; return how many
    were added."""
    added = _add(Place.objects.default(), PUBLISHED, WAITING, first_address=0)
    ayrshire = Place.objects.filter(slug="north-ayrshire").first()
    if ayrshire is not None:
        added += _add(ayrshire, AYRSHIRE, [], first_address=len(PUBLISHED + WAITING))
    return added


def _add(place, published_rows, waiting_rows, *, first_address: int) -> int:
    now = timezone.now()
    slugs = {p.slug: p for p in Priority.objects.current(place)}
    areas = {a.slug: a for a in place.areas.all()}
    named = {row[0] for row in published_rows + waiting_rows if row[0]}
    organisations = {o.name: o for o in signed_organisations(place).filter(name__in=named)}
    if len(organisations) < len(named):
        return 0  # seed_demo has not run: nothing to tell stories about
    stories = []
    for index, (name, area, slug, shown, days, body) in enumerate(
        published_rows + waiting_rows, start=first_address
    ):
        email = DEMO_ADDRESS.format(index)
        told = now - timedelta(days=days, hours=3)
        published = index - first_address < len(published_rows)
        stories.append(
            Story(
                body=body,
                email=email,
                duplicate_key=duplicate_key(email, body),
                token_digest=token_digest(f"demo-{index}"),
                organisation=organisations.get(name),
                place=place,
                area=areas.get(area),
                priority=slugs.get(slug),
                shown_name=shown,
                flagged=bool(flag_words_in(body)),
                status=Story.Status.PUBLISHED if published else Story.Status.WAITING,
                created_at=told,
                confirmed_at=told + timedelta(minutes=20),
                published_at=told + timedelta(days=1) if published else None,
            )
        )
    existing = set(
        Story.objects.filter(duplicate_key__in=[s.duplicate_key for s in stories]).values_list(
            "duplicate_key", flat=True
        )
    )
    new = [story for story in stories if story.duplicate_key not in existing]
    Story.objects.bulk_create(new)
    return len(new)
