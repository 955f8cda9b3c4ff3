"""A first-time partner's rough edges, checked in Chromium at desktop and phone widths."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import Membership
from pledges.services import pledge_start
from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in, submit_with_enter, tab_to
from tests.factories import PASSWORD, MembershipFactory, default_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin(seeded_agreement):
    membership = MembershipFactory(role=Membership.Role.ADMIN, user__email="new@school.example")
    pledge_start(organisation=membership.organisation, by=membership.user, place=default_place())
    return membership


def test_each_commitment_box_is_revealed_by_its_priority_and_nothing_typed_is_lost(
    page, mobile_page, admin
):
    url = reverse("pledges:sign-priorities", args=[admin.organisation_id])
    for current in (page, mobile_page):
        log_in(current, "new@school.example", PASSWORD)
        current.goto(url)
        expect(current.locator("#id_body_3")).to_be_hidden()
        assert_accessible(current)
    page.locator("label[for=id_choose_3]").click()
    expect(page.locator("#id_body_3")).to_be_visible()
    page.fill("#id_body_3", "We will give staff an hour a week to act.")
    page.locator("label[for=id_choose_3]").click()  # changed their mind, with text typed
    expect(page.locator("#id_body_3")).to_be_hidden()
    page.locator("label[for=id_choose_1]").click()
    page.fill("#id_body_1", "We will listen first.")
    tab_to(page, "button[value=continue], button[name=action]")
    submit_with_enter(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("did not choose it")
    expect(page.locator("#id_body_3")).to_be_visible()
    expect(page.locator("#id_body_3")).to_have_value("We will give staff an hour a week to act.")
    assert_accessible(page)


def test_without_javascript_every_box_shows(browser, live_server, admin):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "new@school.example", PASSWORD)
    page.goto(reverse("pledges:sign-priorities", args=[admin.organisation_id]))
    for number in range(1, 6):
        expect(page.locator(f"#id_body_{number}")).to_be_visible()
    context.close()


def test_register_and_signatory_pages_read_as_they_should(page, mobile_page, admin):
    for current in (page, mobile_page):
        log_in(current, "new@school.example", PASSWORD)
        current.goto(reverse("organisations:register"))
        labels = current.locator("input[name=type] + label").all_inner_texts()
        assert labels and "---------" not in labels
        assert_accessible(current)
        current.goto(reverse("pledges:sign-signatory", args=[admin.organisation_id]))
        assert_accessible(current)
    # Each hint sits inside its own checkbox's item, under its own label.
    for box in ("is_authorised", "is_signatory_public"):
        hint = page.locator(f"#id_{box}_hint")
        owner = hint.locator("xpath=ancestor::div[contains(@class,'govuk-checkboxes__item')]")
        expect(owner.locator(f"#id_{box}")).to_have_count(1)
        assert hint.bounding_box()["y"] > page.locator(f"label[for=id_{box}]").bounding_box()["y"]


def test_the_statistics_chart_labels_never_overlap_and_stay_readable(page, mobile_page):
    from django.utils import timezone

    from pledges.models import Pledge
    from tests.public_world import published_organisation

    now = timezone.now()
    for months_ago in range(0, 26, 2):
        pledge = published_organisation(updates=0)
        Pledge.objects.filter(pk=pledge.pk).update(
            published_at=now - timezone.timedelta(days=30.5 * months_ago)
        )
    for current in (page, mobile_page):
        current.goto(reverse("opendata:statistics"))
        assert_accessible(current)
        boxes = current.evaluate(
            """() => [...document.querySelectorAll('svg text.app-chart__axis-label')]
                 .filter((t) => t.closest('figure').querySelector('#signed-caption'))
                 .filter((t) => t.getClientRects().length)  // the drawing for this width
                 .map((t) => { const r = t.getBoundingClientRect(); return [r.left, r.right, r.height]; })"""
        )
        assert len(boxes) >= (5 if current is page else 3)  # a phone's drawing has fewer
        assert all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:], strict=False)), boxes
        assert min(height for _, _, height in boxes) >= 11  # readable, phone included
        width = current.evaluate("document.documentElement.scrollWidth")
        assert width <= current.viewport_size["width"]


def test_the_menu_fits_one_line_on_a_laptop_and_folds_on_a_phone(
    page, mobile_page, browser, live_server
):
    from tests.factories import ModeratorFactory

    moderator = ModeratorFactory(email="mod@council.example")
    MembershipFactory(user=moderator)  # "Your organisations" too: the longest menu there is
    page.context.add_cookies([_session_cookie(moderator, live_server.url)])
    page.goto("/")
    tops = page.locator(".govuk-service-navigation__item").evaluate_all(
        "(items) => items.map((item) => item.getBoundingClientRect().top)"
    )
    widths = page.locator(".govuk-service-navigation__item").evaluate_all(
        "(items) => items.map((item) => Math.round(item.getBoundingClientRect().width))"
    )
    assert len(tops) == 9 and len(set(tops)) == 1, str((tops, widths))  # one line at 1280 px

    mobile_page.goto("/")
    toggle = mobile_page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(mobile_page.locator("#navigation")).to_be_hidden()
    toggle.click()
    expect(mobile_page.get_by_role("link", name="Signatories")).to_be_visible()
    assert_accessible(mobile_page)

    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 375, "height": 812}
    )
    plain = context.new_page()
    plain.goto("/")
    plain.get_by_role("link", name="Signatories").click()  # without JavaScript: a plain list
    expect(plain.locator("h1")).to_contain_text("Signatories")
    context.close()


def test_directory_filters_fold_on_a_phone_so_results_come_first(page, mobile_page):
    from tests.public_world import make_public_world

    make_public_world(3)
    mobile_page.goto(reverse("registry:signatories"))
    first = mobile_page.locator(".app-signatory").first
    assert first.bounding_box()["y"] < 700  # was about 1,200 px down with every filter open
    expect(mobile_page.get_by_label("Type of organisation")).to_be_hidden()
    mobile_page.locator(".app-filters summary").click()
    expect(mobile_page.locator(".app-filters select, .app-filters input").first).to_be_visible()
    assert_accessible(mobile_page)
    page.goto(reverse("registry:signatories"))
    expect(page.locator(".app-filters")).to_have_attribute("open", "")  # room on a laptop


def _session_cookie(user, base):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}


def test_stories_show_their_photos_as_cards_chosen_for_the_screen(page, mobile_page):
    from django.core.files.base import ContentFile

    from pledges.tasks import make_image_sizes
    from tests.factories import ProgressUpdateFactory
    from tests.public_world import published_organisation
    from tests.test_uploads import png_bytes

    pledge = published_organisation("Photo Club", updates=0)
    update = ProgressUpdateFactory(pledge=pledge, title="Planting day", image_alt="Seedlings")
    update.image.save("planting.png", ContentFile(png_bytes(size=(1600, 1200))))
    make_image_sizes.call(update_id=update.pk, image_name=update.image.name)
    for current, widest in ((page, 1600), (mobile_page, 960)):
        current.goto(reverse("registry:updates"))
        image = current.get_by_role("img", name="Seedlings")
        expect(image).to_be_visible()
        # A lazy image starts loading after the page's load event; wait for it, not a guess.
        current.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        chosen = image.evaluate("(img) => [img.naturalWidth, img.currentSrc]")
        assert chosen[0] > 0 and chosen[0] <= widest, chosen  # a size made for this screen
        assert_accessible(current)


def test_update_form_account_pages_excerpts_and_titles_in_chromium(page, mobile_page, admin):
    from pledges.models import Pledge
    from tests.factories import CommitmentFactory, PledgeFactory, ProgressUpdateFactory

    Pledge.objects.filter(organisation=admin.organisation).delete()
    pledge = PledgeFactory(organisation=admin.organisation, published=True)
    CommitmentFactory(pledge=pledge, priority=pledge.agreement.priorities.get(number=4))
    ProgressUpdateFactory(pledge=pledge, body="Thanks to **families and staff**.")
    # Sentence case on the account pages.
    page.goto(reverse("account_login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    for current in (page, mobile_page):
        log_in(current, "new@school.example", PASSWORD)
        current.goto(reverse("pledges:update-new", args=[admin.organisation_id]))
        labels = current.locator("input[name=priorities] + label").all_inner_texts()
        assert labels[0].startswith("4.") and "not one of your commitments" in labels[1]
        assert_accessible(current)
        current.goto(reverse("registry:updates"))
        expect(current.locator(".app-card").first).to_contain_text("Thanks to families and staff.")
        assert "**" not in current.locator("main").inner_text()
    titles = set()
    for query in ("", "?q=garden", "?type=school", "?type=nonsense"):
        page.goto(reverse("registry:signatories") + query)
        titles.add(page.title())
    assert len(titles) == 4


def test_every_account_page_passes_axe_on_a_laptop_and_a_phone(page, mobile_page):
    from tests.factories import UserFactory

    UserFactory(email="pages@example.org")
    signed_out = ["account_login", "account_signup", "account_reset_password"]
    signed_in = [
        "account_email",
        "account_change_password",
        "mfa_index",
        "account_reauthenticate",
        "privacy:your-data",
    ]
    for current in (page, mobile_page):
        for name in signed_out:
            current.goto(reverse(name))
            expect(current.locator("h1")).not_to_contain_text("Sign In")
            assert_accessible(current)
        log_in(current, "pages@example.org", PASSWORD)
        for name in signed_in:
            current.goto(reverse(name))
            assert_accessible(current)
