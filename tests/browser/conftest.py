import pytest


@pytest.fixture(autouse=True)
def _agreement(seeded_agreement):
    """Browser tests use a flushed database, so the data migration's rows are put back."""
    return seeded_agreement
