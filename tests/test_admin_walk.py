"""A moderator of one place opens every admin address of every object of another place, read
from the admin's own registry and each model admin's URLs, so that a model or view added
later is walked without editing this test. Each is refused (403 or 404, or the admin's
"does not exist" redirect) or lists nothing of the other place, and no POST changes a row or
sends an email."""

import pytest
from django.contrib import admin
from django.core import mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from places.models import Place
from pledges.models import Agreement, Concern, Pledge
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    StoryFactory,
    north_ayrshire,
)

pytestmark = pytest.mark.django_db

# Models that belong to no place: the network's own lists (flag words, digests), and people's
# accounts, sign-in and task records, which moderators cannot open at all. Everything else
# registered in the admin must say which place each row is in (`_place_of`), or this test
# fails for it.
NETWORK_MODELS = {
    "flagword", "moderatordigest", "user", "group", "emailaddress", "authenticator",
    "dbtaskresult",
}  # fmt: skip

# The admin's own addresses for one object, and the URL names that are not about one.
PER_OBJECT = ["change", "history", "delete"]
PAPER = (
    "name,type,website,contact_email,date_signed,priorities,commitment_1\n"
    "Walked Charity,charity,,walk@example.org,2024-03-15,1,We will listen.\n"
)
STANDARD = {"changelist", "add", *PER_OBJECT, "autocomplete"}


def _place_of(obj):
    """The place a row is in, by the path its model has to one."""
    for path in ("place_id", "agreement.place_id", "pledge.place_id", "story.place_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    if isinstance(obj, Place):
        return obj.pk
    organisation = getattr(obj, "organisation", obj)
    places = set(organisation.pledges.values_list("place_id", flat=True))
    return places.pop() if len(places) == 1 else None


@pytest.fixture
def cheltenham_world(db, django_capture_on_commit_callbacks):
    """Everything the admin shows, in Cheltenham; North Ayrshire with its own agreement and
    nothing else, and its moderator."""
    ayrshire = north_ayrshire(live=True)
    cheltenham = Place.objects.default()
    public = PledgeFactory(published=True, organisation__name="Oakwood School")
    PledgeFactory(status=Pledge.Status.SUBMITTED, organisation__name="Elm Charity")
    MembershipFactory(organisation=public.organisation)
    InvitationFactory(organisation=public.organisation)
    JoinRequestFactory(organisation=public.organisation)
    commitment = CommitmentFactory(pledge=public)
    commitment.body = "We will listen more."
    commitment.save()  # a second historical record
    update = ProgressUpdateFactory(pledge=public)
    Concern.objects.create(
        organisation=public.organisation, place=cheltenham, update=update, reason="other"
    )
    story = StoryFactory(organisation=public.organisation)
    from stories.models import StoryConcern, StoryEdit

    StoryConcern.objects.create(story=story, reason="other", details="Check.")
    StoryEdit.objects.create(story=story, note="Took out a surname.")
    from pledges.models import PledgeEvent, Reminder

    PledgeEvent.objects.create(pledge=public, action="published")
    Reminder.objects.create(pledge=public, kind="soon", due_at=public.published_at)
    with transaction.atomic():
        AgreementFactory(place=cheltenham, version=2, priorities=True)  # a draft
    from opendata.models import YearReport
    from opendata.services import year_report_save

    year_report_save(
        report=YearReport(place=cheltenham, year=timezone.localdate().year),
        foreword="A good year.",
        updates=[update],
        stories=[story],
        by=ModeratorFactory(places=[cheltenham]),
    )
    return {"ayrshire": ayrshire, "cheltenham": cheltenham}


def _snapshot():
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in admin.site._registry
    }


def _others(model, ayrshire):
    rows = list(model._base_manager.all())
    return [obj for obj in rows if _place_of(obj) != ayrshire.pk]


def _about_an_object(pattern) -> bool:
    return pattern.pattern.regex.groups > 0


def _custom_urls(model_admin):
    """The model admin's own views beyond Django's standard ones, by URL name."""
    info = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    names = []
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None)
        if name and name.startswith(info) and name[len(info) + 1 :] not in STANDARD:
            names.append((name, pattern))
    return names


def _fill(name, pattern, obj):
    """The custom view's address for this object, every way its other parameters allow."""
    from moderation.actions import DECISIONS

    regex = pattern.pattern.regex
    if "name" in regex.groupindex:
        return [reverse(f"admin:{name}", args=[obj.pk, each]) for each in DECISIONS]
    if "action" in regex.groupindex:  # a list's action on one row, from the row's page
        actions = admin.site._registry[type(obj)].actions
        return [reverse(f"admin:{name}", args=[obj.pk, action.__name__]) for action in actions]
    if regex.groups == 2:  # django-simple-history's one record: object and version
        return [reverse(f"admin:{name}", args=[obj.pk, record.pk]) for record in obj.history.all()]
    return [reverse(f"admin:{name}", args=[obj.pk])]


def _refused(response) -> bool:
    # 405: a view that takes only POST (a decision) or only GET (a past version), and the
    # method it takes is walked too.
    if response.status_code in {403, 404, 405}:
        return True
    # Django's admin answers an object it cannot find with a redirect to the admin's index.
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_places_moderator_reaches_nothing_of_another_place(client, cheltenham_world):
    ayrshire = cheltenham_world["ayrshire"]
    client.force_login(ModeratorFactory(places=[ayrshire]))
    before = _snapshot()
    mail.outbox.clear()
    walked = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.model_name in NETWORK_MODELS:
            continue
        others = _others(model, ayrshire)
        assert others or opts.model_name == "place" or model_admin.has_module_permission, opts
        info = f"admin:{opts.app_label}_{opts.model_name}"
        # The list: refused, or none of the other place's rows.
        listed = client.get(reverse(f"{info}_changelist"))
        if listed.status_code == 200:
            shown = {obj.pk for obj in listed.context["cl"].result_list}
            assert not shown & {obj.pk for obj in others}, f"{opts.label} lists another place"
        else:
            assert _refused(listed), opts.label
        # Every action, on every row of the other place: nothing happens.
        actions = model_admin.get_actions(listed.wsgi_request) if listed.status_code == 200 else {}
        for action in actions:
            client.post(
                reverse(f"{info}_changelist"),
                {
                    "action": action,
                    "_selected_action": [obj.pk for obj in others],
                    "apply": "1",
                    "reason": "Walked by the test.",
                },
            )
        # Adding one in the other place is refused, or its form refuses that place.
        try:
            add = reverse(f"{info}_add")
        except NoReverseMatch:
            add = None
        if add:
            client.post(add, {"place": cheltenham_world["cheltenham"].pk, "name": "Taken"})
        # Its own views about no one object (the paper import): asked to act in the other
        # place, they change nothing (the snapshot below).
        for name, pattern in _custom_urls(model_admin):
            if not _about_an_object(pattern):
                client.post(
                    reverse(f"admin:{name}"),
                    {"place": cheltenham_world["cheltenham"].slug, "confirm": "1", "text": PAPER},
                )
        for obj in others:
            for view in PER_OBJECT:
                url = reverse(f"{info}_{view}", args=[obj.pk])
                assert _refused(client.get(url)), f"GET {url}"
                response = client.post(url, {"post": "yes", "name": "Taken over"})
                assert _refused(response), f"POST {url}"
                walked += 1
            for name, pattern in _custom_urls(model_admin):
                if not _about_an_object(pattern):
                    continue
                for url in _fill(name, pattern, obj):
                    assert _refused(client.get(url)), f"GET {url}"
                    assert _refused(client.post(url, {"reason": "Walked."})), f"POST {url}"
                    walked += 1
    assert walked > 50  # the world had something of the other place for every model
    assert _snapshot() == before
    assert mail.outbox == []


def test_the_walk_knows_every_registered_model(cheltenham_world):
    """A new model in the admin is walked: it belongs to a place or is named the network's."""
    for model in admin.site._registry:
        if model._meta.model_name in NETWORK_MODELS:
            continue
        rows = list(model._base_manager.all())
        assert rows, f"the walk's world has no {model._meta.label}: add one"
        assert all(_place_of(obj) is not None for obj in rows), model._meta.label


def test_the_same_walk_lets_a_moderator_of_that_place_in(client, cheltenham_world):
    """The walk would notice a refusal of everything: Cheltenham's moderator opens them."""
    client.force_login(ModeratorFactory(places=[cheltenham_world["cheltenham"]]))
    pledge = Pledge.objects.get(status=Pledge.Status.PUBLISHED)
    assert client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk])).status_code == 200
    agreement = Agreement.objects.get(place=cheltenham_world["cheltenham"], version=2)
    change = reverse("admin:pledges_agreement_change", args=[agreement.pk])
    assert client.get(change).status_code == 200
