import pytest
from django.utils import timezone

from pledges.models import Agreement, Priority
from pledges.seed import seed_agreement


@pytest.fixture(autouse=True)
def seeded_agreement(transactional_db):
    """Browser tests use a flushed database, so the data migration's rows are put back here."""
    return seed_agreement(Agreement, Priority, timezone.now())
