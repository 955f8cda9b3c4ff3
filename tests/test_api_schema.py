"""Property-based checks of the API against its own OpenAPI schema, with schemathesis.

Bounded to a few examples per operation so that it stays quick in `make test`.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application
from tests.public_world import make_public_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def public_data(db):
    """Data to page through; connections stay open across requests, as Django's test client keeps them."""
    make_public_world(2)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_schema_and_never_errors(case, public_data):
    case.call_and_validate()
