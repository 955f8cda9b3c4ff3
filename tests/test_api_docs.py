"""The API reference page: drawn from the OpenAPI schema, so it documents every path and object."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.fragments = set(), set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.fragments.add(attrs["href"][1:])


def test_reference_documents_every_operation_parameter_and_field(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    page = client.get(reverse("opendata:api-docs")).content.decode()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert f"<code>{method.upper()} {path}</code>" in page
            for parameter in operation.get("parameters", []):
                assert f"<code>{parameter['name'].replace('_', '_<wbr>')}</code>" in page
    for name in ("OrganisationOut", "PledgeOut", "UpdateOut", "StatisticsOut", "ErrorOut"):
        for field in schema["components"]["schemas"][name]["properties"]:
            assert f"<code>{field.replace('_', '_<wbr>')}</code>" in page
    assert "Input" not in page  # the pagination input schema is not a response object


def test_every_in_page_link_has_a_target(client):
    parser = Ids()
    parser.feed(client.get(reverse("opendata:api-docs")).content.decode())
    assert parser.fragments, "the contents list and type links point into the page"
    assert parser.fragments - parser.ids == set()


def test_old_swagger_address_redirects_to_the_reference(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 301
    assert response["Location"] == reverse("opendata:api-docs")
