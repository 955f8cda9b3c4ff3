"""Create a believable demo town, or a benchmark-size one, without duplicating anything.

Organisations are keyed by slug: a second run finds them all and creates nothing.
Everything is written with bulk inserts so that the benchmark size builds quickly.
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from accounts.moderators import moderators_group, network_moderators_group
from core.bulk import analyze
from core.versions import public_data_changed
from organisations.models import Membership, Organisation
from places.models import Place
from places.seed import CHELTENHAM_AREAS
from pledges.demo_generated import BENCH_TOWNS, build_pledge, generated_specs, pledge_events
from pledges.demo_pictures import add_demo_pictures
from pledges.demo_places import add_place, add_second_place
from pledges.demo_texts import COMMITMENTS, UPDATES
from pledges.models import (
    Agreement,
    Commitment,
    Pledge,
    PledgeEvent,
    Priority,
    ProgressUpdate,
)
from pledges.search import refresh_search
from pledges.seed import seed_agreement

DEMO_PASSWORD = "kindness-demo-2026"
PARTNER_EMAIL = "partner@example.org"
MODERATOR_EMAIL = "moderator@example.org"

Type = Organisation.Type
Status = Pledge.Status

# Named organisations of the demo town, with the pledge status each shows.
NAMED = [
    ("Cheltenham Borough Council", Type.COUNCIL, "cheltenham", Status.PUBLISHED),
    ("Carnegie UK Trust", Type.CHARITY, "gloucestershire", Status.PUBLISHED),
    ("Oakwood Primary School", Type.SCHOOL, "hesters-way", Status.PUBLISHED),
    ("St Mark's Church of England Junior School", Type.SCHOOL, "st-marks", Status.PUBLISHED),
    ("Pittville High School", Type.SCHOOL, "pittville", Status.PUBLISHED),
    ("Cheltenham College of Further Education", Type.SCHOOL, "college", Status.PUBLISHED),
    ("Little Acorns Nursery", Type.EARLY_YEARS, "up-hatherley", Status.PUBLISHED),
    ("Springbank Family Centre", Type.CHARITY, "springbank", Status.PUBLISHED),
    ("Cheltenham Food Bank", Type.CHARITY, "cheltenham", Status.PUBLISHED),
    ("Hesters Way Community Resource Centre", Type.COMMUNITY, "hesters-way", Status.PUBLISHED),
    ("Oakley Residents' Association", Type.COMMUNITY, "oakley", Status.PUBLISHED),
    ("St Paul's Parish Church", Type.FAITH, "st-pauls", Status.PUBLISHED),
    (
        "Cheltenham Town Football Club Community Trust",
        Type.SPORT,
        "cheltenham",
        Status.PUBLISHED,
    ),
    ("Leisure at Cheltenham", Type.SPORT, "pittville", Status.PUBLISHED),
    ("Cheltenham Borough Homes", Type.HOUSING, "cheltenham", Status.PUBLISHED),
    ("Gloucestershire Health and Care", Type.HEALTH, "gloucestershire", Status.PUBLISHED),
    ("The Suffolks Bakery", Type.BUSINESS, "lansdown", Status.PUBLISHED),
    ("Montpellier Print Works", Type.BUSINESS, "lansdown", Status.PUBLISHED),
    ("Leckhampton Book Swap", Type.COMMUNITY, "leckhampton", Status.PUBLISHED),
    ("Prestbury Youth Club", Type.COMMUNITY, "prestbury", Status.PUBLISHED),
    ("Warden Hill Toddler Group", Type.EARLY_YEARS, "warden-hill", Status.DRAFT),
    ("Charlton Kings Repair Café", Type.COMMUNITY, "charlton-kings", Status.SUBMITTED),
    ("Swindon Village Allotment Society", Type.COMMUNITY, "swindon-village", Status.RETURNED),
    ("Battledown Tutoring Ltd", Type.BUSINESS, "battledown", Status.WITHDRAWN),
    ("Benhall Market Traders", Type.BUSINESS, "benhall-reddings", Status.SUSPENDED),
]


class Command(BaseCommand):
    help = (
        "Create demo data (organisations, pledges, updates and two demo logins). Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations",
            type=int,
            default=0,
            help="Also create this many generated organisations (for benchmarks).",
        )
        parser.add_argument(
            "--updates",
            type=int,
            default=0,
            help="Spread this many progress updates over the generated organisations.",
        )
        parser.add_argument(
            "--places",
            type=int,
            default=2,
            help=(
                "Places in all: Cheltenham and North Ayrshire, then towns made for benchmarks, "
                "each with as many organisations and updates as Cheltenham's generated ones."
            ),
        )
        parser.add_argument(
            "--small-places",
            type=int,
            default=0,
            help=(
                "Also this many small places, each with three organisations and six updates "
                "(for the benchmark of a thousand places)."
            ),
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed, for repeatable data."
        )

    def handle(self, *args, organisations, updates, places, small_places, seed, **options):
        rng = random.Random(seed)
        now = timezone.now()
        with transaction.atomic():
            agreement = seed_agreement(Agreement, Priority, now, place=Place.objects.default())
            priorities = list(agreement.priorities.order_by("number"))
            specs = [
                {"name": name, "type": type_, "area": area, "status": status}
                for name, type_, area, status in NAMED
            ]
            specs += generated_specs(organisations, rng, CHELTENHAM_AREAS[2:])
            created = self.create_town(specs, agreement, priorities, now, rng, updates)
            created += add_second_place(agreement, now)
            for name in BENCH_TOWNS[: max(places - 2, 0)]:
                created += self.add_bench_town(name, agreement, organisations, updates, now, rng)
            for number in tqdm(
                range(1, small_places + 1), desc="Small places", disable=small_places < 100
            ):
                created += self.add_bench_town(
                    f"Smallbrook {number:04d}", agreement, 3, 6, now, rng
                )
            partner, moderator = self.ensure_logins()
            if created:
                public_data_changed(addition=True)
                refresh_search()
                analyze(
                    Organisation,
                    Pledge,
                    Commitment,
                    Commitment.history.model,
                    ProgressUpdate,
                    ProgressUpdate.priorities.through,
                    PledgeEvent,
                )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {created} new organisations."))
        self.stdout.write(
            f"\n  Demo logins (password for both: {DEMO_PASSWORD})\n"
            f"    Partner admin of Oakwood Primary School: {partner.email}\n"
            f"    Moderator (Django admin):               {moderator.email}\n"
        )

    def add_bench_town(self, name, source, organisations, updates, now, rng):
        """One more place for the benchmark, with its own copy of the agreement, six areas
        and generated organisations; nothing when it exists."""
        slug = slugify(name)
        if Place.objects.filter(slug=slug).exists():
            return 0
        wards = [f"{name} {part}" for part in ("North", "South", "East", "West", "Centre")]
        _place, agreement, priorities = add_place(
            source,
            now,
            areas=[f"The whole of {name}", *wards],
            text={
                "title": f"{name} Community Agreement",
                "summary": f"Organisations in {name} agree to put kindness first.",
                "body": source.body.replace(source.place.name, name),
            },
            name=name,
            slug=slug,
            contact_email=f"kindness@{slug}.example",
            data_controller=f"{name} Council",
            privacy_email=f"privacy@{slug}.example",
        )
        wards = [(slugify(ward), ward) for ward in wards]
        specs = generated_specs(organisations, rng, wards)
        return self.create_town(specs, agreement, priorities, now, rng, updates)

    def create_town(self, specs, agreement, priorities, now, rng, update_total):
        for spec in specs:
            spec["slug"] = slugify(spec["name"])
        existing = set(Organisation.objects.values_list("slug", flat=True))
        specs = [spec for spec in specs if spec["slug"] not in existing]
        if not specs:
            return 0
        progress = tqdm(total=5, desc="Seeding demo data", unit="step", disable=len(specs) < 100)
        areas = {area.slug: area for area in agreement.place.areas.all()}

        two_years = timedelta(days=730)
        orgs = []
        for spec in specs:
            joined = (
                now - two_years + timedelta(seconds=rng.randrange(int(two_years.total_seconds())))
            )
            orgs.append(
                Organisation(
                    name=spec["name"],
                    slug=spec["slug"],
                    type=spec["type"],
                    # The description is the organisation's in every place it signs in: it
                    # names none (the area it serves is each pledge's).
                    description=f"{spec['name']} works with children, families and the "
                    "people around them.",
                    created_at=joined - timedelta(days=7),
                )
            )
        Organisation.objects.bulk_create(orgs, batch_size=2000)
        progress.update()

        pledges = [
            build_pledge(org, spec["status"], agreement, areas[spec["area"]], now, rng)
            for org, spec in zip(orgs, specs, strict=True)
        ]
        Pledge.objects.bulk_create(pledges, batch_size=2000)
        progress.update()

        commitments = []
        for pledge in pledges:
            chosen = rng.sample(priorities, rng.randint(1, 5))
            for priority in sorted(chosen, key=lambda p: p.number):
                commitments.append(
                    Commitment(
                        pledge=pledge,
                        priority=priority,
                        body=rng.choice(COMMITMENTS[priority.number]),
                        progress=rng.choice(Commitment.Progress.values),
                        created_at=pledge.created_at,
                    )
                )
        Commitment.objects.bulk_create(commitments, batch_size=5000)
        for commitment in commitments:
            commitment._history_date = commitment.created_at
        Commitment.history.bulk_history_create(commitments, batch_size=5000)
        events = [event for pledge in pledges for event in pledge_events(pledge)]
        events += self.edit_some_commitments(commitments, now, rng)
        PledgeEvent.objects.bulk_create(events, batch_size=5000)
        progress.update()

        published = [p for p in pledges if p.published_at is not None]
        update_total = update_total or len(published) * 3
        self.create_updates(published, priorities, update_total, now, rng)
        progress.update()
        add_demo_pictures([org for org in orgs if org.name in {name for name, *_ in NAMED}])
        progress.update()
        progress.close()
        return len(orgs)

    def edit_some_commitments(self, commitments, now, rng):
        """One published pledge in five has reworded a commitment since: a real history."""
        edited, events, done = [], [], set()
        for commitment in commitments:
            pledge = commitment.pledge
            if pledge.status != Status.PUBLISHED or pledge.pk % 5 or pledge.pk in done:
                continue
            done.add(pledge.pk)
            changed_at = min(pledge.published_at + timedelta(days=rng.randint(20, 200)), now)
            wordings = COMMITMENTS[commitment.priority.number]
            commitment.body = rng.choice([b for b in wordings if b != commitment.body])
            commitment._history_date = changed_at
            edited.append(commitment)
            events.append(
                PledgeEvent(
                    pledge=pledge,
                    action=PledgeEvent.Action.COMMITMENT_CHANGED,
                    reason=commitment.priority.title,
                    created_at=changed_at,
                )
            )
        Commitment.objects.bulk_update(edited, ["body"], batch_size=5000)
        Commitment.history.bulk_history_create(edited, update=True, batch_size=5000)
        return events

    def create_updates(self, pledges, priorities, total, now, rng):
        if not pledges or not total:
            return
        updates = []
        for index in tqdm(
            range(total), desc="Progress updates", unit="update", disable=total < 1000
        ):
            pledge = pledges[index % len(pledges)]
            # The pledge's own place in the list, then the next one each time round.
            title, body = UPDATES[(pledge.pk + index // len(pledges)) % len(UPDATES)]
            span = max(int((now - pledge.published_at).total_seconds()), 60)
            published_at = pledge.published_at + timedelta(seconds=rng.randrange(span))
            is_hidden = index % 40 == 39
            updates.append(
                ProgressUpdate(
                    pledge=pledge,
                    title=title,
                    body=body,
                    status=ProgressUpdate.Status.HIDDEN
                    if is_hidden
                    else ProgressUpdate.Status.PUBLISHED,
                    hidden_reason="Contained a child's name." if is_hidden else "",
                    published_at=published_at,
                    created_at=published_at,
                )
            )
            if not is_hidden and (
                pledge.last_reported_at is None or published_at > pledge.last_reported_at
            ):
                pledge.last_reported_at = published_at
        ProgressUpdate.objects.bulk_create(updates, batch_size=5000)
        PledgeEvent.objects.bulk_create(
            [
                PledgeEvent(
                    pledge=update.pledge,
                    action=PledgeEvent.Action.UPDATE_HIDDEN
                    if update.status == ProgressUpdate.Status.HIDDEN
                    else PledgeEvent.Action.UPDATE_POSTED,
                    reason=update.title
                    + (f": {update.hidden_reason}" if update.hidden_reason else ""),
                    created_at=update.published_at,
                )
                for update in updates
            ],
            batch_size=5000,
        )
        Through = ProgressUpdate.priorities.through
        links = [
            Through(progressupdate_id=update.pk, priority_id=priority.pk)
            for update in updates
            for priority in rng.sample(priorities, rng.randint(1, 2))
        ]
        Through.objects.bulk_create(links, batch_size=10000)
        Pledge.objects.bulk_update(pledges, ["last_reported_at"], batch_size=2000)

    def ensure_logins(self):
        User = get_user_model()
        partner, created = User.objects.get_or_create(
            email=PARTNER_EMAIL, defaults={"name": "Priya Patel"}
        )
        if created:
            partner.set_password(DEMO_PASSWORD)
            partner.save()
        school = Organisation.objects.get(slug="oakwood-primary-school")
        Membership.objects.get_or_create(
            user=partner, organisation=school, defaults={"role": Membership.Role.ADMIN}
        )

        moderator, created = User.objects.get_or_create(
            email=MODERATOR_EMAIL, defaults={"name": "Morgan Reed", "is_staff": True}
        )
        if created:
            moderator.set_password(DEMO_PASSWORD)
            moderator.save()
        moderator.groups.add(moderators_group(), network_moderators_group())
        for user in (partner, moderator):
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        return partner, moderator
