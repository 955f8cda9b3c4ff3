"""The whole partner journey in Chromium, with an axe check on every page on the way."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from organisations.models import Organisation
from pledges import services
from pledges.models import Pledge
from tests.accessibility import assert_accessible
from tests.browser.helpers import follow, last_link_in_outbox, log_in, submit_with_enter, tab_to
from tests.factories import PASSWORD, MembershipFactory, ModeratorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGN_UP_PASSWORD = "a-kind-long-password-2026"


def test_sign_up_register_sign_publish_and_post_an_update(page, browser, live_server, tmp_path):
    # 1. Sign up and confirm the email from the outbox.
    page.goto(reverse("account_signup"))
    assert_accessible(page)
    page.get_by_label("Email").fill("head@oakwood.example.org")
    page.get_by_label("Password", exact=True).fill(SIGN_UP_PASSWORD)
    page.get_by_label("Password (again)").fill(SIGN_UP_PASSWORD)
    follow(page, page.get_by_role("button", name="Create an account"))
    assert_accessible(page)
    link = last_link_in_outbox(r"https?://\S+/accounts/confirm-email/\S+/")
    page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Confirm"))

    # 2. Register an organisation.
    page.goto(reverse("organisations:register"))
    assert_accessible(page)
    page.get_by_label("Organisation name").fill("Oakwood Primary School")
    page.get_by_label("School or college").check()
    page.get_by_label("School number").fill("115678")
    follow(page, page.get_by_role("button", name="Continue"))
    organisation = Organisation.objects.get(name="Oakwood Primary School")
    assert_accessible(page)

    # 3. Sign with three priorities, leaving part of the way through.
    follow(page, page.get_by_role("button", name="Sign the agreement"))
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Start now"))
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Read the agreement"))
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Continue"))
    assert_accessible(page)
    page.get_by_label("1. Make time for relationships").check()
    page.locator("#id_body_1").fill(
        "Protect the first 15 minutes of parents' evenings for open talk."
    )
    page.get_by_label("4. Listen to what matters").check()
    page.locator("#id_body_4").fill("Hold a listening session with families every term.")
    follow(page, page.get_by_role("button", name="Save and come back later"))
    assert_accessible(page)

    # Another device, days later: the draft is intact.
    other = browser.new_context(base_url=live_server.url)
    second = other.new_page()
    log_in(second, "head@oakwood.example.org", SIGN_UP_PASSWORD)
    second.goto(reverse("pledges:sign-priorities", kwargs={"org_id": organisation.pk}))
    assert second.locator("#id_body_1").input_value().startswith("Protect the first 15 minutes")
    assert second.locator("#id_choose_4").is_checked()
    second.get_by_label("3. Give permission to act").check()
    second.locator("#id_body_3").fill("Staff can spend up to £50 to fix a family's problem.")
    follow(second, second.get_by_role("button", name="Save and continue"))
    assert_accessible(second)
    second.get_by_label("Why you are signing").fill("Every child in Hesters Way deserves kindness.")
    second.get_by_label("Which part of Cheltenham do you mainly serve?").select_option(
        label="Hesters Way"
    )
    follow(second, second.get_by_role("button", name="Save and continue"))
    assert_accessible(second)
    second.get_by_label("Signatory's full name").fill("Sam Okafor")
    second.get_by_label("Signatory's job title").fill("Head teacher")
    second.get_by_label("I am authorised to sign on behalf of Oakwood Primary School").check()
    second.get_by_label("The signatory agrees").check()
    follow(second, second.get_by_role("button", name="Save and continue"))
    assert_accessible(second)

    # 4. Submit and see "submitted".
    expect(second.get_by_text("Staff can spend up to £50")).to_be_visible()
    follow(second, second.get_by_role("button", name="Sign and submit"))
    expect(second.get_by_role("heading", name="Pledge submitted")).to_be_visible()
    assert_accessible(second)
    other.close()

    # 5. A moderator approves, through the service.
    pledge = Pledge.objects.get(organisation=organisation)
    assert pledge.status == Pledge.Status.SUBMITTED and pledge.area.slug == "hesters-way"
    services.pledge_publish(pledge=pledge, by=ModeratorFactory())

    # 6. Post an update with an image.
    image_path = tmp_path / "garden.png"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 160, 90)).save(buffer, format="PNG")
    image_path.write_bytes(buffer.getvalue())
    page.goto(reverse("pledges:dashboard", kwargs={"org_id": organisation.pk}))
    assert page.locator("#pledge-status").inner_text() == "Published"
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Post a progress update"))
    assert_accessible(page)
    page.get_by_label("Title").fill("Our first listening session")
    page.get_by_label("What happened").fill("Twenty families came. We heard **three** clear asks.")
    page.get_by_label("Listen to what matters").check()
    # GOV.UK's file upload: its "Choose file" button carries the label and opens the
    # browser's chooser, which hands the file to the input inside the drop zone.
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Image (optional)").click()
    chooser.value.set_files(str(image_path))
    expect(page.locator(".govuk-drop-zone")).to_contain_text(image_path.name)
    assert_accessible(page)
    page.get_by_label("Image description").fill("Parents and staff talking around a table")
    follow(page, page.get_by_role("button", name="Publish update"))
    assert_accessible(page)

    # 7. Everything shows on the public organisation page.
    page.goto(organisation.get_absolute_url())
    assert_accessible(page)
    expect(page.get_by_text("Protect the first 15 minutes")).to_be_visible()
    expect(page.get_by_text("Sam Okafor, Head teacher")).to_be_visible()
    follow(page, page.get_by_role("link", name="Our first listening session", exact=True))
    image = page.get_by_role("img", name="Parents and staff talking around a table")
    expect(image).to_be_visible()
    # The re-encoded upload is really served, not a broken image showing its alt text.
    expect(image).to_have_js_property("naturalWidth", 800)
    assert_accessible(page)


def test_the_signing_flow_completes_with_the_keyboard_alone(page):
    membership = MembershipFactory()
    log_in(page, membership.user.email, PASSWORD)
    org = {"org_id": membership.organisation_id}
    page.goto(reverse("pledges:sign", kwargs=org))

    tab_to(page, "button.govuk-button--start")
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/sign/$"))
    tab_to(page, "a[href$='/sign/agreement/']")
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/sign/agreement/$"))
    tab_to(page, "form button[type=submit]")
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/sign/priorities/$"))

    tab_to(page, "#id_choose_2")
    page.keyboard.press("Space")
    tab_to(page, "#id_body_2")
    page.keyboard.type("Share a kindness story every month.")
    tab_to(page, "button[value=continue]")
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/sign/statement/$"))

    tab_to(page, "#id_statement")
    page.keyboard.type("We believe in kindness.")
    tab_to(page, "#id_area")
    page.keyboard.type("Hesters")  # a closed list's type-ahead, as a keyboard user chooses
    expect(page.locator("#id_area option:checked")).to_have_text("Hesters Way")
    tab_to(page, "button[value=continue]")
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/sign/signatory/$"))

    tab_to(page, "#id_signatory_name")
    page.keyboard.type("Jo Williams")
    page.keyboard.press("Tab")
    page.keyboard.type("Chair of trustees")
    tab_to(page, "#id_is_authorised")
    page.keyboard.press("Space")
    tab_to(page, "button[value=continue]")
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/sign/check/$"))

    # Shift+Tab back from the submit button still reaches the Change links.
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent").strip().startswith("Change")
    tab_to(page, "form button[type=submit]")
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/sign/submitted/$"))
    assert (
        Pledge.objects.get(organisation=membership.organisation).status == Pledge.Status.SUBMITTED
    )
