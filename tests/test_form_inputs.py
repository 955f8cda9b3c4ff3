"""Every input of the partners' forms is drawn as GOV.UK draws it: the website as a text
input, and a photo or logo in GOV.UK's drop zone (a plain file input without JavaScript)."""

import re

import pytest
from django.urls import reverse

from organisations.models import Membership
from tests.factories import MembershipFactory, PledgeFactory

pytestmark = pytest.mark.django_db


def test_the_website_and_logo_and_photo_inputs_have_govuk_s_look(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    PledgeFactory(organisation=admin.organisation, published=True)
    client.force_login(admin.user)
    profile = client.get(reverse("organisations:edit", args=[admin.organisation_id])).text
    update = client.get(reverse("pledges:update-new", args=[admin.organisation_id])).text

    website = re.search(r'<input[^>]*name="website"[^>]*>', profile).group(0)
    assert 'class="govuk-input' in website and 'type="url"' in website
    for page, name in ((profile, "logo"), (update, "image")):
        zone = re.search(
            rf'<div class="govuk-drop-zone" data-module="govuk-file-upload"><input[^>]*name="{name}"[^>]*>',
            page,
        )
        assert zone and 'class="govuk-file-upload' in zone.group(0), name
        assert 'accept="image/png,image/jpeg,image/webp,image/gif"' in zone.group(0)


def test_a_website_in_error_keeps_what_was_typed_and_is_marked(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    client.force_login(admin.user)
    url = reverse("organisations:edit", args=[admin.organisation_id])
    page = client.post(
        url, {"name": admin.organisation.name, "type": "charity", "website": "not a web address"}
    ).text
    assert "Enter a web address like https://example.org" in page
    assert 'value="not a web address"' in page
    assert "govuk-form-group--error" in page
