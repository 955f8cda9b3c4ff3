"""No query string, however odd, gives a server error on the signatories, the wall, the story
form or the API."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.public_world import make_public_world

pytestmark = pytest.mark.django_db

PAGES = {
    "/signatories/": ["q", "type", "priority", "area", "status", "sort", "withdrawn", "page"],
    "/updates/": ["show", "priority", "type", "area", "page"],
    "/kindness-seen/tell/": ["organisation", "priority"],
    "/api/v1/stories": ["organisation", "priority", "page", "page_size"],
    "/api/v1/organisations": ["page", "page_size"],
    "/api/v1/pledges": ["page", "page_size"],
    "/api/v1/commitments": ["page", "page_size"],
    "/api/v1/updates": ["page", "page_size"],
}
CALLS = [(path, name) for path, names in PAGES.items() for name in names]

# Text of every kind, weighted towards what search syntax and PostgreSQL care about.
hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="-\"!&|():*<>\\ '", max_size=120),
    st.builds(lambda n, word: "-" * n + word, st.integers(0, 200), st.text(max_size=10)),
    st.lists(st.sampled_from(['"', "-", "or", "and", "not", "a", "*", ":"]), max_size=80).map(
        " ".join
    ),
)


@pytest.fixture
def world(db):
    make_public_world(3)


def test_a_run_of_hyphens_is_read_as_one_minus_sign(client, world):
    response = client.get("/signatories/?q=" + "-" * 33 + "coffee")
    assert response.status_code == 200
    assert "We could not understand that search" not in response.text


def test_a_search_the_database_refuses_is_explained_not_a_server_error(client, world, monkeypatch):
    from registry import signatories

    monkeypatch.setattr(signatories, "search_text", lambda query: query or "")
    response = client.get("/signatories/?q=" + "-" * 33)
    assert response.status_code == 200
    assert "We could not understand that search" in response.text
    assert 'href="#id_q"' in response.text  # the error summary leads to the box


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(call=st.sampled_from(CALLS), value=hostile_text)
def test_arbitrary_text_in_any_query_parameter_never_gives_a_server_error(
    client, world, call, value
):
    path, name = call
    response = client.get(f"{path}?{urlencode({name: value})}")
    assert response.status_code < 500, (path, name, value)
