"""Every change made in the admin goes through a service, or the admin cannot make it."""

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.moderators import MODERATOR_PERMISSIONS, moderator_permissions
from moderation.admin import AgreementAdmin
from moderation.place_admin import PlaceAdmin
from moderation.story_admin import FlagWordAdmin
from opendata.admin import YearReportAdmin
from opendata.models import YearReport
from places.models import Place
from pledges.models import Agreement, Concern, ModeratorDigest, PledgeEvent, Reminder
from stories.models import StoryConcern
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    StoryFactory,
    UserFactory,
    default_place,
)

pytestmark = pytest.mark.django_db

# Accounts (Django's and allauth's own admin) and the task queue are for superusers: moderators
# get no permission there (test_moderators_get_only_the_permissions_they_use).
ACCOUNT_APPS = {"auth", "accounts", "account", "mfa", "django_tasks_database"}
REGISTRY_MODELS = [m for m in admin.site._registry if m._meta.app_label not in ACCOUNT_APPS]


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _instance(model):
    builders = {
        "Agreement": lambda: Agreement.objects.get_current(default_place()),
        "Priority": lambda: Agreement.objects.get_current(default_place()).priorities.first(),
        "Pledge": lambda: PledgeFactory(published=True),
        "Commitment": lambda: CommitmentFactory(),
        "ProgressUpdate": lambda: ProgressUpdateFactory(),
        "Reminder": lambda: Reminder.objects.create(
            pledge=PledgeFactory(published=True), kind="due", due_at=timezone.now()
        ),
        "Concern": lambda: (
            lambda pledge: Concern.objects.create(
                organisation=pledge.organisation, place=pledge.place, reason="other"
            )
        )(PledgeFactory(published=True)),
        "Story": lambda: StoryFactory(),
        "YearReport": lambda: YearReport.objects.create(place=default_place(), year=2026),
        "StoryConcern": lambda: StoryConcern.objects.create(story=StoryFactory(), reason="other"),
        "ModeratorDigest": lambda: ModeratorDigest.objects.create(
            day=timezone.localdate(), covered_from=timezone.now(), covered_until=timezone.now()
        ),
    }
    if model.__name__ in builders:
        return builders[model.__name__]()
    return model.objects.first()


@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda m: m.__name__)
def test_every_registered_admin_changes_only_through_a_service(model):
    from tests.factories import InvitationFactory, JoinRequestFactory, MembershipFactory

    MembershipFactory(), InvitationFactory(), JoinRequestFactory()
    PledgeEvent.objects.create(pledge=PledgeFactory(), action=PledgeEvent.Action.SUBMITTED)
    model_admin = admin.site._registry[model]
    request = _request(ModeratorFactory())  # a superuser: only the admin's own rules refuse
    obj = _instance(model)
    assert obj is not None
    assert not model_admin.has_delete_permission(request, obj), model
    own = type(model_admin).__dict__
    for inline in model_admin.get_inline_instances(request, obj):
        # An inline that changes rows is saved by its admin's save_related, through a service
        # (a place's areas); any other is read-only.
        assert "save_related" in own or not inline.has_change_permission(request, obj), inline
    if model_admin.has_change_permission(request, obj):
        own = type(model_admin).__dict__
        assert "save_model" in own or "save_related" in own, f"{model} saves without a service"
    if model_admin.has_add_permission(request):
        # Agreement drafts, flag words, new places and a place's year (its foreword) are
        # written in the admin, through their services.
        assert isinstance(
            model_admin, AgreementAdmin | FlagWordAdmin | PlaceAdmin | YearReportAdmin
        ), model


def test_signed_and_current_agreement_versions_are_read_only():
    request = _request(ModeratorFactory())
    agreement_admin = admin.site._registry[Agreement]
    assert not agreement_admin.has_change_permission(
        request, Agreement.objects.get_current(default_place())
    )
    draft = AgreementFactory(version=9)
    assert agreement_admin.has_change_permission(request, draft)
    PledgeFactory(agreement=draft)
    assert not agreement_admin.has_change_permission(request, draft)


def test_the_audit_trail_refuses_update_and_delete_in_the_database():
    event = PledgeEvent.objects.create(
        pledge=PledgeFactory(), action=PledgeEvent.Action.SUBMITTED, reason="first"
    )
    event.reason = "rewritten"
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeEvent.objects.filter(pk=event.pk).delete()
    assert PledgeEvent.objects.get(pk=event.pk).reason == "first"


def test_deleting_an_account_keeps_its_events_without_the_actor():
    user = UserFactory()
    event = PledgeEvent.objects.create(
        pledge=PledgeFactory(), action=PledgeEvent.Action.SUBMITTED, actor=user
    )
    user.delete()
    event.refresh_from_db()
    assert event.actor is None and event.action == PledgeEvent.Action.SUBMITTED


def test_events_cannot_be_added_changed_or_deleted_from_the_admin(client):
    client.force_login(ModeratorFactory())
    event = PledgeEvent.objects.create(pledge=PledgeFactory(), action=PledgeEvent.Action.SUBMITTED)
    assert client.get(reverse("admin:pledges_pledgeevent_add")).status_code == 403
    delete = reverse("admin:pledges_pledgeevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = client.get(reverse("admin:pledges_pledgeevent_change", args=[event.pk]))
    assert change.status_code == 200 and 'name="reason"' not in change.text


def test_renaming_an_organisation_in_the_admin_updates_its_public_page_and_search(
    client, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(published=True, organisation__name="Old Name Trust")
    organisation = pledge.organisation
    assert "Old Name Trust" in client.get(organisation.get_absolute_url()).text  # now cached
    client.force_login(ModeratorFactory())
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    form = {
        "name": "Renamed Trust",
        "type": organisation.type,
        "description": "",
        "website": "",
        "charity_number": "",
        "company_number": "",
        "school_urn": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    assert "Renamed Trust" in client.get(organisation.get_absolute_url()).text
    assert "Renamed Trust" in client.get("/signatories/?q=Renamed").text


def test_a_commitment_cannot_be_reverted_from_its_history(client):
    commitment = CommitmentFactory(body="First wording")
    commitment.body = "Second wording"
    commitment.save()
    first = commitment.history.order_by("history_date").first()
    client.force_login(ModeratorFactory())
    url = reverse("admin:pledges_commitment_simple_history", args=[commitment.pk, first.history_id])
    page = client.get(url).text
    assert "First wording" in page
    assert "<textarea" not in page and "<select" not in page  # read, not edited
    answer = client.post(url, {"body": "First wording", "progress": commitment.progress})
    assert answer.status_code == 405
    commitment.refresh_from_db()
    assert commitment.body == "Second wording"


def test_moderators_get_only_the_permissions_they_use():
    codenames = {f"{p.content_type.app_label}.{p.codename}" for p in moderator_permissions()}
    assert codenames == set(MODERATOR_PERMISSIONS)
    assert {name.split(".")[0] for name in codenames} == {
        "accounts",
        "organisations",
        "pledges",
        "stories",
        "places",
        "opendata",
    }
    assert {m._meta.app_label for m in REGISTRY_MODELS} == {
        "organisations",
        "pledges",
        "stories",
        "places",
        "opendata",
    }
    assert not any(".delete_" in name for name in codenames)
    assert "pledges.change_pledgeevent" not in codenames


def test_a_moderator_with_the_groups_permissions_can_moderate_but_not_edit_text(client):
    from django.contrib.auth.models import Group

    from tests.factories import enrol_totp

    group = Group.objects.create(name="Moderators")
    group.permissions.set(moderator_permissions())
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(group)
    Place.objects.default().moderators.add(moderator)  # a moderator of a place moderates it
    enrol_totp(moderator)
    client.force_login(moderator)
    pledge = PledgeFactory(status="submitted")
    response = client.get(reverse("admin:pledges_pledge_changelist"))
    assert "approve_pledges" in response.text
    change = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk])).text
    assert 'name="statement"' not in change and 'name="signatory_name"' not in change
