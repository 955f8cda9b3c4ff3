"""Each rule of the registry written once: what the public reads follows from one place."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.moderators import is_moderator, moderators
from organisations.models import Membership, Organisation
from organisations.services import organisation_check_email_domain
from places.models import Place
from pledges import services, stats
from pledges.models import Agreement, Concern, Pledge, PledgeEvent, ProgressUpdate
from pledges.services import AgreementError, PledgeStateError
from privacy.services import retention_apply
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    UserFactory,
    default_place,
)

pytestmark = pytest.mark.django_db


def cheltenham():
    return Place.objects.default()


@pytest.fixture
def moderator():
    return ModeratorFactory()


def resigned(moderator):
    """An organisation with a published version 1 pledge that signs version 2, published."""
    first = PledgeFactory(published=True)
    CommitmentFactory(pledge=first)
    Agreement.objects.update(is_current=False)
    newer = AgreementFactory(version=2, is_current=True, priorities=True)
    second = PledgeFactory(
        organisation=first.organisation, agreement=newer, status=Pledge.Status.SUBMITTED
    )
    services.pledge_publish(pledge=second, by=moderator)
    first.refresh_from_db()
    return first, second


def test_re_signing_leaves_exactly_one_public_pledge(moderator):
    first, second = resigned(moderator)
    assert first.status == Pledge.Status.SUPERSEDED and first.superseded_at is not None
    assert first.events.filter(action=PledgeEvent.Action.SUPERSEDED).exists()
    assert list(Pledge.objects.public().filter(organisation=first.organisation)) == [second]
    assert Pledge.objects.public_for(first.organisation, first.place) == second


def test_suspending_the_new_pledge_does_not_bring_the_old_one_back(client, moderator):
    first, second = resigned(moderator)
    services.pledge_suspend(pledge=second, by=moderator, reason="A concern is checked.")
    assert not Pledge.objects.public().filter(organisation=first.organisation).exists()
    assert client.get(first.organisation.get_absolute_url()).status_code == 404
    assert stats.organisations_signed(cheltenham().pk) == 0
    services.pledge_reinstate(pledge=second, by=moderator, reason="Checked.")
    assert Pledge.objects.public_for(first.organisation, first.place) == second


def test_withdrawing_the_new_pledge_leaves_only_the_withdrawn_one(client, moderator):
    first, second = resigned(moderator)
    admin = MembershipFactory(organisation=first.organisation, role=Membership.Role.ADMIN).user
    services.pledge_withdraw(pledge=second, by=admin, reason="We are closing.")
    first.refresh_from_db()
    assert first.status == Pledge.Status.SUPERSEDED
    assert stats.organisations_signed(cheltenham().pk) == 0
    assert not Pledge.objects.published().filter(organisation=first.organisation).exists()
    signatories = client.get(reverse("registry:signatories")).text
    assert first.organisation.name not in signatories
    page = client.get(first.organisation.get_absolute_url()).text
    assert "Withdr" in page
    # The certificate answers 404 for a withdrawn pledge, so the page does not link to it.
    certificate = reverse("registry:certificate", args=[first.organisation.slug])
    assert certificate not in page
    assert client.get(certificate).status_code == 404


def test_the_public_history_shows_the_superseded_pledge_dated(client, moderator):
    first, _second = resigned(moderator)
    page = client.get(first.organisation.get_absolute_url()).text
    assert "Signed version 1 of the Community Agreement" in page
    assert "Signed version 2 of the Community Agreement" in page
    assert "Version 1 of its pledge was replaced by a newer one" in page


def test_a_superseded_pledge_gets_no_reminders_and_its_dropped_priorities_do_not_count(moderator):
    from moderation.reminders import planned

    first, second = resigned(moderator)
    long_after = timezone.now() + timezone.timedelta(days=400)
    assert {reminder.pledge_id for reminder in planned(long_after)} <= {second.pk}
    dropped = first.commitments.get().priority.slug
    assert not second.commitments.filter(priority__slug=dropped).exists()
    assert stats.organisations_per_priority(cheltenham().pk).get(dropped, 0) == 0


def test_postgresql_refuses_a_second_public_pledge_for_one_organisation():
    first = PledgeFactory(published=True)
    Agreement.objects.update(is_current=False)
    newer = AgreementFactory(version=2, is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeFactory(organisation=first.organisation, agreement=newer, published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeFactory(
            organisation=first.organisation,
            agreement=newer,
            status=Pledge.Status.WITHDRAWN,
            published_at=timezone.now(),
        )


def test_a_suspended_pledge_a_newer_one_replaced_cannot_be_reinstated(moderator):
    first = PledgeFactory(published=True)
    services.pledge_suspend(pledge=first, by=moderator, reason="A concern.")
    Agreement.objects.update(is_current=False)
    newer = AgreementFactory(version=2, is_current=True, priorities=True)
    second = PledgeFactory(
        organisation=first.organisation, agreement=newer, status=Pledge.Status.SUBMITTED
    )
    services.pledge_publish(pledge=second, by=moderator)
    with pytest.raises(PledgeStateError, match="newer pledge"):
        services.pledge_reinstate(pledge=first, by=moderator, reason="Resolved.")
    assert Pledge.objects.public_for(first.organisation, first.place) == second


def test_signed_over_time_counts_organisations_and_ends_at_the_home_total(moderator):
    resigned(moderator)
    PledgeFactory(published=True)
    series = stats.signed_by_month(cheltenham().pk)
    assert series[-1][2] == stats.organisations_signed(cheltenham().pk) == 2


def test_dismissing_a_concern_keeps_an_update_hidden_for_another_reason(moderator):
    update = ProgressUpdateFactory()
    organisation = update.pledge.organisation
    automatic = services.concern_report(
        organisation=organisation,
        update=update,
        place=update.pledge.place,
        reason=Concern.Reason.CHILD_INFORMATION,
        details="",
        by=AnonymousUser(),
    )
    other = services.concern_report(
        organisation=organisation,
        update=update,
        place=update.pledge.place,
        reason=Concern.Reason.UNKIND,
        details="",
        by=AnonymousUser(),
    )
    services.concern_uphold(concern=other, by=moderator, reason="It is unkind.")
    services.concern_dismiss(concern=automatic, by=moderator, note="No child is named.")
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.HIDDEN
    assert not ProgressUpdate.objects.published().filter(pk=update.pk).exists()


def test_dismissing_a_concern_keeps_an_update_the_organisation_removed_hidden(moderator):
    update = ProgressUpdateFactory()
    member = MembershipFactory(organisation=update.pledge.organisation).user
    concern = services.concern_report(
        organisation=update.pledge.organisation,
        update=update,
        place=update.pledge.place,
        reason=Concern.Reason.CHILD_INFORMATION,
        details="",
        by=AnonymousUser(),
    )
    services.progress_update_remove(update=update, by=member, reason="Posted too soon.")
    services.concern_dismiss(concern=concern, by=moderator, note="Nothing identifying.")
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.HIDDEN
    with pytest.raises(PledgeStateError, match="the organisation removed it"):
        services.progress_update_restore(update=update, by=moderator, reason="Fine.")


def test_dismissing_the_only_concern_brings_the_update_back(moderator):
    update = ProgressUpdateFactory()
    concern = services.concern_report(
        organisation=update.pledge.organisation,
        update=update,
        place=update.pledge.place,
        reason=Concern.Reason.CHILD_INFORMATION,
        details="",
        by=AnonymousUser(),
    )
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.HIDDEN
    services.concern_dismiss(concern=concern, by=moderator, note="Nothing identifying.")
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.PUBLISHED


def test_retention_never_leaves_an_organisation_without_an_admin(
    django_capture_on_commit_callbacks,
):
    ModeratorFactory(email="moderator@council.example")
    long_ago = timezone.now() - timezone.timedelta(days=5000)
    only_admin = MembershipFactory(role=Membership.Role.ADMIN, user__email="sole@school.example")
    shared = MembershipFactory(role=Membership.Role.ADMIN, user__email="one@charity.example")
    MembershipFactory(organisation=shared.organisation, role=Membership.Role.ADMIN)
    for membership in (only_admin, shared):
        user = membership.user
        type(user).objects.filter(pk=user.pk).update(last_login=long_ago, date_joined=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention_apply()
    assert counts["inactive_last_admins_kept"] == 1 and counts["inactive_accounts"] == 1
    assert type(only_admin.user).objects.filter(pk=only_admin.user_id).exists()
    assert not type(shared.user).objects.filter(pk=shared.user_id).exists()
    assert Organisation.objects.claimed().filter(pk=only_admin.organisation_id).exists()
    kept_mail = [m for m in mail.outbox if "sole@school.example" in m.body]
    assert [m.to for m in kept_mail] == [["moderator@council.example"]]


def test_retention_keeps_the_most_recently_active_of_two_inactive_admins(
    django_capture_on_commit_callbacks,
):
    ModeratorFactory(email="network@council.example")
    ModeratorFactory(email="place@council.example", places=[Place.objects.default()])
    now = timezone.now()
    older = MembershipFactory(role=Membership.Role.ADMIN, user__email="older@charity.example")
    newer = MembershipFactory(
        organisation=older.organisation,
        role=Membership.Role.ADMIN,
        user__email="newer@charity.example",
    )
    for membership, days in ((older, 5000), (newer, 4000)):
        past = now - timezone.timedelta(days=days)
        type(membership.user).objects.filter(pk=membership.user_id).update(
            last_login=past, date_joined=past
        )
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention_apply()
    assert counts["inactive_last_admins_kept"] == 1 and counts["inactive_accounts"] == 1
    assert not type(older.user).objects.filter(pk=older.user_id).exists()
    assert Organisation.objects.claimed().filter(pk=older.organisation_id).exists()
    (told,) = [m for m in mail.outbox if "newer@charity.example" in m.body]
    assert told.to == ["network@council.example"]  # who may change its admins


def test_retention_erases_a_withdrawn_signatory_with_the_hide_event():
    from django.conf import settings

    pledge = PledgeFactory(
        status=Pledge.Status.WITHDRAWN,
        published_at=timezone.now() - timezone.timedelta(days=4000),
        withdrawn_at=timezone.now()
        - timezone.timedelta(days=settings.RETENTION_WITHDRAWN_SIGNATORY_DAYS + 1),
        is_signatory_public=True,
    )
    retention_apply()
    pledge.refresh_from_db()
    assert (pledge.signatory_name, pledge.is_signatory_public) == ("", False)
    assert pledge.events.filter(action=PledgeEvent.Action.SIGNATORY_HIDDEN).count() == 1


@pytest.mark.parametrize(
    ("address", "website"),
    [("x@gmail.com", "https://gmail.com"), ("x@mailinator.com", "https://www.mailinator.com")],
)
def test_a_free_or_disposable_mail_website_never_verifies(address, website):
    membership = MembershipFactory(role=Membership.Role.ADMIN, user__email=address)
    organisation = membership.organisation
    Organisation.objects.filter(pk=organisation.pk).update(website=website)
    organisation.refresh_from_db()
    assert organisation_check_email_domain(organisation=organisation, by=membership.user) is False
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_an_organisations_own_domain_still_verifies():
    membership = MembershipFactory(role=Membership.Role.ADMIN, user__email="head@oak.sch.uk")
    organisation = membership.organisation
    Organisation.objects.filter(pk=organisation.pk).update(website="https://oak.sch.uk")
    organisation.refresh_from_db()
    assert organisation_check_email_domain(organisation=organisation, by=membership.user)


def test_an_agreement_version_without_five_priorities_cannot_be_made_current(moderator):
    incomplete = AgreementFactory(version=2)
    with pytest.raises(AgreementError, match="5 priorities"):
        services.agreement_make_current(agreement=incomplete, by=moderator, reason="Ready")
    assert Agreement.objects.get_current(default_place()).version == 1


def test_staff_outside_the_moderators_group_is_no_moderator(django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True, email="staff@council.example")
    group_member = ModeratorFactory(email="moderator@council.example")
    assert not is_moderator(staff) and is_moderator(group_member)
    assert list(moderators()) == [group_member]
    assert not group_member.is_superuser
    pledge = PledgeFactory(status=Pledge.Status.SUBMITTED)
    with pytest.raises(PledgeStateError):
        services.pledge_publish(pledge=pledge, by=staff)
    admin = MembershipFactory(organisation=pledge.organisation, role=Membership.Role.ADMIN)
    Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.DRAFT, is_authorised=True)
    CommitmentFactory(pledge=pledge)
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_submit(pledge=pledge, by=admin.user)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "moderator@council.example" in recipients and "staff@council.example" not in recipients


def test_staff_outside_the_group_cannot_enter_the_admin(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_partner_can_remove_a_photo_without_replacing_it(client, tmp_path):
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    picture = BytesIO()
    Image.new("RGB", (40, 30), "green").save(picture, "JPEG")
    update = ProgressUpdateFactory(image_alt="A garden bed")
    update.image.save("garden.jpg", ContentFile(picture.getvalue()), save=True)
    member = MembershipFactory(organisation=update.pledge.organisation).user
    client.force_login(member)
    url = reverse(
        "pledges:update-edit",
        kwargs={"org_id": update.pledge.organisation_id, "update_id": update.pk},
    )
    form = client.get(url).text
    assert 'name="remove_image"' in form
    response = client.post(
        url,
        {
            "title": update.title,
            "body": update.body,
            "priorities": [p.pk for p in update.priorities.all()],
            "remove_image": "on",
            "image_alt": "A garden bed",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    update.refresh_from_db()
    assert not update.image and update.image_alt == "" and update.image_sizes == {}


def test_the_photo_size_task_moves_its_places_public_data_version(
    django_capture_on_commit_callbacks,
):
    """The narrower copies show on the update's own place's pages (and the network's); no
    other place's pages are drawn again."""
    from core.public import public_version
    from core.versions import NETWORK_SCOPE, place_scope
    from pledges.services import progress_update_store_sizes
    from tests.factories import opened_place

    elsewhere = place_scope(opened_place("Stroud", "stroud").pk)
    update = ProgressUpdateFactory(image_alt="A garden bed")
    type(update).objects.filter(pk=update.pk).update(image="updates/a.jpg")
    here = place_scope(update.pledge.place_id)
    before = {scope: public_version(scope) for scope in (here, elsewhere, NETWORK_SCOPE)}
    with django_capture_on_commit_callbacks(execute=True):
        stored = progress_update_store_sizes(
            update_id=update.pk, image_name="updates/a.jpg", sizes={"320": "updates/a-320.jpg"}
        )
    assert stored
    assert public_version(here) > before[here]
    assert public_version(NETWORK_SCOPE) > before[NETWORK_SCOPE]
    assert public_version(elsewhere) == before[elsewhere]
    with django_capture_on_commit_callbacks(execute=True):  # a newer image meanwhile: no change
        assert not progress_update_store_sizes(
            update_id=update.pk, image_name="updates/old.jpg", sizes={}
        )


def test_moderators_see_unclaimed_organisations_and_send_the_claim_link_again(
    client, django_capture_on_commit_callbacks
):
    from organisations.models import Invitation

    moderator = ModeratorFactory()
    unclaimed = PledgeFactory(published=True).organisation  # no member: imported from paper
    claimed = MembershipFactory(role=Membership.Role.ADMIN).organisation
    client.force_login(moderator)
    queue = {item["key"]: item for item in client.get(reverse("admin:index")).context["queue"]}
    assert queue["unclaimed"]["count"] == 1
    listed = client.get(queue["unclaimed"]["url"]).context["cl"].result_list
    assert list(listed) == [unclaimed]
    changelist = reverse("admin:organisations_organisation_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            changelist,
            {
                "action": "invite_admins",
                "_selected_action": [unclaimed.pk],
                "apply": "1",
                "reason": "Head@Oak.example",
            },
        )
    invitation = Invitation.objects.get(organisation=unclaimed)
    assert (invitation.email, invitation.role) == ("head@oak.example", Membership.Role.ADMIN)
    assert (invitation.expires_at - timezone.now()).days >= 59
    assert "claim" in mail.outbox[-1].subject.lower() and mail.outbox[-1].to == [invitation.email]
    with django_capture_on_commit_callbacks(execute=True):  # a claimed one: a plain invitation
        client.post(
            changelist,
            {
                "action": "invite_admins",
                "_selected_action": [claimed.pk],
                "apply": "1",
                "reason": "deputy@oak.example",
            },
        )
    plain = Invitation.objects.get(organisation=claimed)
    assert plain.role == Membership.Role.ADMIN and (plain.expires_at - timezone.now()).days < 15


def test_only_a_moderator_imports_the_paper_signatories():
    from moderation.paper_import import Plan
    from moderation.services import paper_signatories_import

    with pytest.raises(PermissionError):
        paper_signatories_import(
            plan=Plan([], [], []), by=UserFactory(is_staff=True), place=Place.objects.default()
        )


@pytest.mark.parametrize("status", [s for s in Pledge.Status.values if s != "superseded"])
def test_the_admin_offers_exactly_the_decisions_the_services_allow(status, moderator):
    from moderation.actions import DECISIONS, decisions_for

    pledge = PledgeFactory(
        status=status, published_at=None if status in {"draft", "submitted"} else timezone.now()
    )
    shown = {decision.name for decision in decisions_for(pledge)}
    allowed = set()
    for name, decision in DECISIONS.items():
        try:
            with transaction.atomic():
                reason = {"reason": "Checked."} if decision.asks_reason else {}
                decision.service(pledge=pledge, by=moderator, **reason)
                allowed.add(name)
                raise RuntimeError("roll back")
        except PledgeStateError:
            pass
        except RuntimeError:
            pass
    assert shown == allowed


def test_a_draft_version_is_written_in_the_admin_through_its_service(client, moderator):
    client.force_login(moderator)
    data = {
        "place": str(Place.objects.default().pk),
        "title": "No Child Left Behind Community Agreement",
        "version": "7",
        "summary": "",
        "body": "We agree, again.",
        "published_at_0": "2026-11-01",
        "published_at_1": "09:00:00",
        "priorities-TOTAL_FORMS": "5",
        "priorities-INITIAL_FORMS": "0",
        "priorities-MIN_NUM_FORMS": "0",
        "priorities-MAX_NUM_FORMS": "1000",
    }
    for index in range(5):
        data |= {
            f"priorities-{index}-number": str(index + 1),
            f"priorities-{index}-title": f"Priority {index + 1}",
            f"priorities-{index}-slug": f"priority-{index + 1}",
            f"priorities-{index}-description": "Do a kind thing.",
        }
    response = client.post(reverse("admin:pledges_agreement_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    version = Agreement.objects.get(version=7)
    assert version.priorities.count() == 5 and not version.is_current
    services.agreement_make_current(agreement=version, by=moderator, reason="Agreed.")
    with pytest.raises(AgreementError, match="can no longer be changed"):
        services.agreement_save_draft(agreement=version, by=moderator)
    with pytest.raises(AgreementError, match="Only moderators"):
        services.agreement_save_draft(
            agreement=Agreement(title="x", version=8, body="y"), by=UserFactory(is_staff=True)
        )


def test_the_menu_offers_the_moderation_tools_only_to_moderators(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert reverse("admin:index") not in client.get(reverse("registry:home")).text
    client.force_login(ModeratorFactory())
    assert reverse("admin:index") in client.get(reverse("registry:home")).text
