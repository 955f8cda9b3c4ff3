import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from pledges.models import Agreement, Pledge, Priority
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    OrganisationFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    default_place,
)

pytestmark = pytest.mark.django_db


def test_database_rejects_two_live_pledges_for_one_organisation_and_version():
    organisation = OrganisationFactory()
    PledgeFactory(organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(
            organisation=organisation, agreement=Agreement.objects.get_current(default_place())
        )


def test_a_withdrawn_pledge_does_not_block_signing_again():
    organisation = OrganisationFactory()
    PledgeFactory(organisation=organisation, status=Pledge.Status.WITHDRAWN)
    Pledge.objects.create(
        organisation=organisation, agreement=Agreement.objects.get_current(default_place())
    )
    statuses = Pledge.objects.filter(organisation=organisation).values_list("status", flat=True)
    assert sorted(statuses) == [Pledge.Status.DRAFT, Pledge.Status.WITHDRAWN]


def test_one_organisation_may_have_live_pledges_for_different_versions():
    organisation = OrganisationFactory()
    PledgeFactory(organisation=organisation)
    PledgeFactory(organisation=organisation, agreement=AgreementFactory())
    assert Pledge.objects.filter(organisation=organisation).count() == 2


def test_database_rejects_two_current_agreements():
    assert Agreement.objects.filter(is_current=True).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(is_current=True)


def check_deferred_constraints_now():
    """Run the checks PostgreSQL would run at commit; the test transaction never commits."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_database_rejects_leaving_no_current_agreement():
    AgreementFactory(version=2)
    with pytest.raises(IntegrityError, match="Exactly one agreement"), transaction.atomic():
        Agreement.objects.update(is_current=False)
        check_deferred_constraints_now()


def test_database_rejects_deleting_the_current_agreement():
    Agreement.objects.update(is_current=False)
    unused = AgreementFactory(version=2, is_current=True)  # no priorities or pledges protect it
    with pytest.raises(IntegrityError, match="Exactly one agreement"), transaction.atomic():
        unused.delete()
        check_deferred_constraints_now()


def test_swapping_the_current_version_in_one_transaction_is_allowed():
    newer = AgreementFactory(version=2)
    with transaction.atomic():
        Agreement.objects.update(is_current=False)
        Agreement.objects.filter(pk=newer.pk).update(is_current=True)
        check_deferred_constraints_now()
    assert Agreement.objects.get_current(default_place()) == newer


def test_database_rejects_duplicate_commitment_for_one_priority():
    commitment = CommitmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(pledge=commitment.pledge, priority=commitment.priority)


def test_database_rejects_an_image_without_alt_text():
    update = ProgressUpdateFactory()
    update.image = "updates/picture.jpg"
    update.image_alt = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        update.save()


def test_database_rejects_a_published_pledge_without_a_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeFactory(status=Pledge.Status.PUBLISHED, published_at=None)


def test_database_rejects_a_sixth_priority_number():
    agreement = Agreement.objects.get_current(default_place())
    with pytest.raises(IntegrityError), transaction.atomic():
        Priority.objects.create(agreement=agreement, number=6, title="Six", slug="six")


def test_reporting_status_moves_from_active_to_due_to_awaiting(settings):
    settings.REPORTING_CYCLE_MONTHS = 6
    settings.REPORTING_GRACE_DAYS = 30
    now = timezone.now()
    pledge = PledgeFactory(published=True, published_at=now - timezone.timedelta(days=10))
    assert pledge.reporting_status == Pledge.ReportingStatus.ACTIVE
    pledge.published_at = now - timezone.timedelta(days=190)
    assert pledge.reporting_status == Pledge.ReportingStatus.DUE
    pledge.published_at = now - timezone.timedelta(days=260)
    assert pledge.reporting_status == Pledge.ReportingStatus.AWAITING
    pledge.last_reported_at = now - timezone.timedelta(days=1)
    assert pledge.reporting_status == Pledge.ReportingStatus.ACTIVE


@pytest.mark.parametrize(
    ("field", "value", "is_valid"),
    [
        ("charity_number", "1234567", True),
        ("charity_number", "SC012345", True),
        ("charity_number", "12-AB", False),
        ("company_number", "01234567", True),
        ("company_number", "SC123456", True),
        ("company_number", "1234", False),
        ("school_urn", "115678", True),
        ("school_urn", "11567", False),
    ],
)
def test_identifiers_are_checked_for_format(field, value, is_valid):
    from django.core.exceptions import ValidationError

    organisation = OrganisationFactory.build(**{field: value})
    if is_valid:
        organisation.full_clean(validate_unique=False)
    else:
        with pytest.raises(ValidationError) as error:
            organisation.full_clean(validate_unique=False)
        assert field in error.value.message_dict
