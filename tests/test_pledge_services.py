import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from organisations.models import Membership
from pledges import services
from pledges.models import Agreement, Pledge, PledgeEvent, ProgressUpdate
from pledges.services import PledgeStateError
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
    default_place,
    whole_town,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return MembershipFactory(role=Membership.Role.ADMIN)


@pytest.fixture
def moderator():
    return ModeratorFactory()


def complete_draft(membership):
    pledge = services.pledge_start(
        organisation=membership.organisation, by=membership.user, place=default_place()
    )
    priorities = list(pledge.agreement.priorities.all()[:3])
    services.pledge_save_priorities(
        pledge=pledge,
        by=membership.user,
        commitments={p: f"We will do {p.number}" for p in priorities},
    )
    services.pledge_save_statement(
        pledge=pledge, by=membership.user, statement="Because kindness.", area=whole_town()
    )
    services.pledge_save_signatory(
        pledge=pledge,
        by=membership.user,
        name="Sam",
        role="Head",
        is_authorised=True,
        is_public=True,
    )
    pledge.refresh_from_db()
    return pledge


def submitted(membership):
    return services.pledge_submit(pledge=complete_draft(membership), by=membership.user)


def test_start_creates_one_draft_and_returns_it_again(admin):
    first = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    second = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    assert first.pk == second.pk
    assert first.status == Pledge.Status.DRAFT
    assert Pledge.objects.count() == 1


def test_start_refuses_a_non_member(admin):
    with pytest.raises(PledgeStateError):
        services.pledge_start(
            organisation=admin.organisation, by=UserFactory(), place=default_place()
        )


def test_saving_priorities_replaces_unchosen_ones_and_keeps_text(admin):
    pledge = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    one, two, three = pledge.agreement.priorities.all()[:3]
    services.pledge_save_priorities(pledge=pledge, by=admin.user, commitments={one: "A", two: "B"})
    services.pledge_save_priorities(
        pledge=pledge, by=admin.user, commitments={two: "B2", three: "C"}
    )
    assert dict(pledge.commitments.values_list("priority__number", "body")) == {2: "B2", 3: "C"}


def test_saving_no_priorities_is_refused(admin):
    pledge = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    with pytest.raises(PledgeStateError):
        services.pledge_save_priorities(pledge=pledge, by=admin.user, commitments={})


def test_a_priority_from_another_agreement_version_is_refused(admin):
    pledge = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    stranger = PriorityFactory(agreement=AgreementFactory())
    with pytest.raises(PledgeStateError):
        services.pledge_save_priorities(pledge=pledge, by=admin.user, commitments={stranger: "x"})


def test_submit_moves_to_submitted_records_the_event_and_emails_after_commit(
    admin, moderator, django_capture_on_commit_callbacks
):
    pledge = complete_draft(admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_submit(pledge=pledge, by=admin.user)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED
    assert pledge.signed_by == admin.user and pledge.submitted_at
    assert pledge.events.get().action == PledgeEvent.Action.SUBMITTED
    recipients = {address for message in mail.outbox for address in message.to}
    assert {admin.user.email, moderator.email} <= recipients
    for message in mail.outbox:
        assert message.body and message.alternatives[0][1] == "text/html"
        assert admin.organisation.name in message.alternatives[0][0]


def test_an_incomplete_pledge_cannot_be_submitted(admin):
    pledge = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    with pytest.raises(PledgeStateError):
        services.pledge_submit(pledge=pledge, by=admin.user)


def test_an_editor_cannot_submit(admin):
    pledge = complete_draft(admin)
    editor = MembershipFactory(organisation=admin.organisation, role=Membership.Role.EDITOR)
    with pytest.raises(PledgeStateError, match="admin"):
        services.pledge_submit(pledge=pledge, by=editor.user)


def test_submitting_twice_is_refused_with_a_friendly_message(admin):
    pledge = submitted(admin)
    with pytest.raises(PledgeStateError, match="already been submitted"):
        services.pledge_submit(pledge=pledge, by=admin.user)


def test_a_submitted_pledge_cannot_be_edited(admin):
    pledge = submitted(admin)
    with pytest.raises(PledgeStateError):
        services.pledge_save_statement(
            pledge=pledge, by=admin.user, statement="Changed", area=whole_town()
        )


def test_publish_and_return_need_a_moderator_and_a_submitted_pledge(admin, moderator):
    pledge = complete_draft(admin)
    with pytest.raises(PledgeStateError):
        services.pledge_publish(pledge=pledge, by=moderator)
    services.pledge_submit(pledge=pledge, by=admin.user)
    with pytest.raises(PledgeStateError):
        services.pledge_publish(pledge=pledge, by=admin.user)
    published = services.pledge_publish(pledge=pledge, by=moderator)
    assert published.status == Pledge.Status.PUBLISHED and published.published_at
    event = published.events.first()
    assert (event.action, event.actor) == (PledgeEvent.Action.PUBLISHED, moderator)


def test_return_needs_a_reason_and_allows_edit_and_resubmit(admin, moderator):
    pledge = submitted(admin)
    with pytest.raises(PledgeStateError):
        services.pledge_return(pledge=pledge, by=moderator, reason=" ")
    returned = services.pledge_return(pledge=pledge, by=moderator, reason="Say more about 3.")
    assert returned.status == Pledge.Status.RETURNED
    assert returned.events.first().reason == "Say more about 3."
    services.pledge_save_statement(
        pledge=returned, by=admin.user, statement="More detail.", area=whole_town()
    )
    again = services.pledge_submit(pledge=returned, by=admin.user)
    assert again.status == Pledge.Status.SUBMITTED


def test_withdraw_only_a_published_pledge_by_an_admin_with_a_reason(admin, moderator):
    pledge = services.pledge_publish(pledge=submitted(admin), by=moderator)
    editor = MembershipFactory(organisation=admin.organisation, role=Membership.Role.EDITOR)
    with pytest.raises(PledgeStateError):
        services.pledge_withdraw(pledge=pledge, by=editor.user, reason="x")
    with pytest.raises(PledgeStateError):
        services.pledge_withdraw(pledge=pledge, by=admin.user, reason="")
    withdrawn = services.pledge_withdraw(pledge=pledge, by=admin.user, reason="Closing down")
    assert withdrawn.status == Pledge.Status.WITHDRAWN and withdrawn.withdrawn_at
    assert Pledge.objects.filter(pk=pledge.pk).exists()
    with pytest.raises(PledgeStateError):
        services.pledge_withdraw(pledge=withdrawn, by=admin.user, reason="again")


def test_after_withdrawal_the_organisation_can_sign_again(admin, moderator):
    pledge = services.pledge_publish(pledge=submitted(admin), by=moderator)
    services.pledge_withdraw(pledge=pledge, by=admin.user, reason="Paused")
    fresh = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    assert fresh.pk != pledge.pk and fresh.status == Pledge.Status.DRAFT


def test_an_older_version_pledge_stays_when_a_new_version_is_current(admin, moderator):
    old = services.pledge_publish(pledge=submitted(admin), by=moderator)
    Agreement.objects.update(is_current=False)
    AgreementFactory(is_current=True, version=2)
    new = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    assert new.pk != old.pk and new.agreement.version == 2
    old.refresh_from_db()
    assert old.status == Pledge.Status.PUBLISHED


def test_suspend_needs_a_published_pledge_and_a_reason(admin, moderator):
    pledge = submitted(admin)
    with pytest.raises(PledgeStateError):
        services.pledge_suspend(pledge=pledge, by=moderator, reason="Concern")
    pledge = services.pledge_publish(pledge=pledge, by=moderator)
    suspended = services.pledge_suspend(pledge=pledge, by=moderator, reason="Concern")
    assert suspended.status == Pledge.Status.SUSPENDED and suspended.suspended_at


def test_confirm_accurate_counts_as_a_report(admin):
    pledge = PledgeFactory(organisation=admin.organisation, published=True)
    pledge.published_at = timezone.now() - timezone.timedelta(days=300)
    pledge.save()
    assert pledge.reporting_status != Pledge.ReportingStatus.ACTIVE
    confirmed = services.pledge_confirm_accurate(pledge=pledge, by=admin.user)
    assert confirmed.reporting_status == Pledge.ReportingStatus.ACTIVE
    assert confirmed.events.first().action == PledgeEvent.Action.CONFIRMED


def test_commitment_update_keeps_history(admin):
    commitment = CommitmentFactory(
        pledge=PledgeFactory(organisation=admin.organisation, published=True)
    )
    services.commitment_update(
        commitment=commitment, by=admin.user, body="New words", progress="embedded"
    )
    commitment.refresh_from_db()
    assert commitment.body == "New words"
    bodies = list(commitment.history.values_list("body", flat=True))
    assert "We will protect an hour a week for conversations." in bodies
    assert commitment.history.first().history_user == admin.user


def test_commitments_of_a_draft_pledge_cannot_be_changed_after_publication_rules(admin):
    commitment = CommitmentFactory(pledge=PledgeFactory(organisation=admin.organisation))
    with pytest.raises(PledgeStateError):
        services.commitment_update(
            commitment=commitment, by=admin.user, body="x", progress="planned"
        )


def test_update_publish_sets_last_reported_and_hide_keeps_the_row(admin):
    pledge = PledgeFactory(organisation=admin.organisation, published=True)
    update = services.progress_update_publish(
        pledge=pledge,
        by=admin.user,
        title="T",
        body="B",
        priorities=pledge.agreement.priorities.all()[:1],
    )
    pledge.refresh_from_db()
    assert pledge.last_reported_at == update.published_at
    hidden = services.progress_update_remove(update=update, by=admin.user, reason="Posted twice")
    assert hidden.status == ProgressUpdate.Status.HIDDEN and "Posted twice" in hidden.hidden_reason
    with pytest.raises(PledgeStateError):
        services.progress_update_remove(update=update, by=admin.user, reason="again")
    with pytest.raises(PledgeStateError, match="Only moderators"):
        services.progress_update_hide(update=update, by=admin.user, reason="as a moderator")
    with pytest.raises(PledgeStateError):
        services.progress_update_edit(
            update=update, by=admin.user, title="x", body="y", priorities=[]
        )


def test_a_non_member_cannot_post_or_hide_updates(admin):
    pledge = PledgeFactory(organisation=admin.organisation, published=True)
    stranger = UserFactory()
    with pytest.raises(PledgeStateError):
        services.progress_update_publish(
            pledge=pledge, by=stranger, title="T", body="B", priorities=[]
        )
    update = ProgressUpdateFactory(pledge=pledge)
    with pytest.raises(PledgeStateError):
        services.progress_update_hide(update=update, by=stranger, reason="x")


def test_a_failed_email_never_loses_the_submission(
    admin, monkeypatch, django_capture_on_commit_callbacks
):
    def explode(self, *args, **kwargs):
        raise ConnectionError("SMTP is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", explode)
    pledge = complete_draft(admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_submit(pledge=pledge, by=admin.user)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED


def test_moderation_outcomes_are_emailed_to_the_organisation(
    admin, moderator, django_capture_on_commit_callbacks
):
    pledge = submitted(admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_return(
            pledge=pledge, by=moderator, reason="Please add detail to priority 2."
        )
    (returned,) = mail.outbox
    assert returned.to == [admin.user.email]
    assert "Please add detail to priority 2." in returned.body
    assert "Please add detail to priority 2." in returned.alternatives[0][0]
    services.pledge_submit(pledge=pledge, by=admin.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_publish(pledge=pledge, by=moderator)
    (published,) = mail.outbox
    assert "is published" in published.body
    assert pledge.organisation.get_absolute_url() in published.alternatives[0][0]


def test_making_a_version_current_moves_the_flag_and_keeps_old_pledges(moderator):
    old = Agreement.objects.get_current(default_place())
    signed_old = PledgeFactory(agreement=old, published=True)
    newer = AgreementFactory(version=2, priorities=True)
    services.agreement_make_current(agreement=newer, by=moderator, reason="Reviewed")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the commit-time check passes
    assert Agreement.objects.get_current(default_place()) == newer
    assert list(Agreement.objects.filter(is_current=True)) == [newer]
    signed_old.refresh_from_db()
    assert signed_old.agreement == old and signed_old.status == Pledge.Status.PUBLISHED


def test_only_moderators_can_change_the_current_version(admin):
    newer = AgreementFactory(version=2, priorities=True)
    with pytest.raises(services.AgreementError):
        services.agreement_make_current(agreement=newer, by=admin.user, reason="Mine")
    assert Agreement.objects.get_current(default_place()) != newer


def test_an_unpublished_version_cannot_become_current(moderator):
    draft = AgreementFactory(version=2, published_at=None)
    with pytest.raises(services.AgreementError, match="published time"):
        services.agreement_make_current(agreement=draft, by=moderator, reason="Early")


def test_hiding_an_update_records_who_and_why_as_an_event(admin, moderator):
    update = ProgressUpdateFactory(
        pledge=PledgeFactory(organisation=admin.organisation, published=True)
    )
    services.progress_update_hide(update=update, by=moderator, reason="Names a child")
    update.refresh_from_db()
    assert update.hidden_reason == "Names a child"
    event = update.pledge.events.get(action=PledgeEvent.Action.UPDATE_HIDDEN)
    assert event.actor == moderator and "Names a child" in event.reason


def test_a_commitment_saved_by_a_colleague_since_loading_is_refused_under_the_lock(admin):
    commitment = CommitmentFactory(
        pledge=PledgeFactory(organisation=admin.organisation, published=True)
    )
    loaded_at = commitment.updated_at
    services.commitment_update(
        commitment=commitment, by=admin.user, body="Colleague's words", progress="planned"
    )
    with pytest.raises(services.StaleEditError):
        services.commitment_update(
            commitment=commitment,
            by=admin.user,
            body="My words",
            progress="planned",
            loaded_at=loaded_at,
        )
    commitment.refresh_from_db()
    assert commitment.body == "Colleague's words"


def test_services_check_what_people_typed_and_leave_constraints_to_the_database(admin, moderator):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction
    from django.test.utils import CaptureQueriesContext

    pledge = complete_draft(admin)
    with pytest.raises(ValidationError) as error:  # a field's own limits are still checked
        services.pledge_save_signatory(
            pledge=pledge,
            by=admin.user,
            name="x" * 151,
            role="Head",
            is_authorised=True,
            is_public=True,
        )
    assert "signatory_name" in error.value.message_dict
    pledge = services.pledge_submit(pledge=pledge, by=admin.user)

    # Django would check each constraint and foreign key with queries of its own; the
    # database enforces them on the save anyway.
    with CaptureQueriesContext(connection) as queries:
        services.pledge_publish(pledge=pledge, by=moderator)
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [s for s in sql if '"_check"' in s], sql
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database still refuses
        Pledge.objects.filter(pk=pledge.pk).update(published_at=None)
