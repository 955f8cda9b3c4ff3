"""Every URL pattern that renders HTML is opened here and passes axe at 320, 768 and 1280 px,
with nothing to scroll sideways at 320 px; each is saved as a screenshot at 375 and 1280 px
for a person to look through (the folder is named at the end of the run).

The list comes from the resolver: a new page without a route below, or an exclusion saying
why it is not a page, fails `test_every_html_pattern_has_a_route`.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib import admin
from django.test import Client
from django.urls import resolve, reverse

from core.middleware import plain_error
from opendata.models import YearReport
from opendata.services import year_report_save
from organisations.models import Invitation
from places.models import Place
from pledges.models import Concern, ModeratorDigest, PledgeEvent, Priority, Reminder
from stories.models import FlagWord, StoryConcern
from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in, log_in_to_admin
from tests.browser.screenshots import SCREENSHOTS
from tests.factories import PASSWORD, MembershipFactory, UserFactory, enrol_totp
from tests.partner_urls import ORG_URLS, make_partner_world, named_patterns, url_for
from tests.public_world import published_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 768, 1280)
SCREENSHOT_WIDTHS = (375, 1280)

# Patterns that answer with something other than an HTML page, and why.
NOT_PAGES = {
    "api:": "the JSON API (its reference page is opendata:api-docs)",
    "opendata:feed": "an Atom feed",
    "opendata:organisation-feed": "an Atom feed",
    "opendata:priority-feed": "an Atom feed",
    "opendata:stories-feed": "an Atom feed",
    "opendata:organisation-stories-feed": "an Atom feed",
    "opendata:download": "a CSV or JSON download",
    "opendata:year-data": "a CSV or JSON download",
    "registry:badge": "an SVG image",
    "registry:tell-where": "a redirect into the chosen place's story form (the network page's form)",
    "sitemap": "XML for search engines",
    "core:robots": "plain text for crawlers",
    "healthz": "a plain-text health check",
    "readyz": "a JSON readiness check",
    "schedule-health": "a JSON check for monitoring",
    "mfa_download_recovery_codes": "a text file to save",
    "privacy:hide-signatory": "takes a POST from the your-data page",
    "organisations:join-request-decision": "takes a POST from the members page",
    "account_confirm_login_code": "sign-in by emailed code is off: it redirects to sign in",
    "account_reauthenticate": "asked only mid-flow; closing an account shows it (journey tests)",
    "mfa_reauthenticate": "asked only mid-flow, as account_reauthenticate",
    "mfa_authenticate": "shown mid-sign-in; checked at every width as the moderator signs in",
    "account_set_password": "for accounts without a password: every account here has one",
    "opendata:year-latest": "a redirect to this year's page, checked above",
    "pledges:sign-submitted": "shown once a pledge is submitted: the partner journey checks it",
    "admin:login": "sends people to the site's own sign-in page, checked above",
    "admin:logout": "takes a POST",
    "admin:jsi18n": "JavaScript",
    "admin:autocomplete": "JSON for search-as-you-type",
    "admin:view_on_site": "a redirect to the public page",
    "admin:password_change": "moderators change passwords on the site (account pages)",
    "admin:password_change_done": "moderators change passwords on the site (account pages)",
    "admin:auth_user_password_change": "superusers only; Django's own form",
}
# The admin pages of other apps' models, which only superusers open (moderators hold no
# permission on them): Django's, allauth's and django-tasks' own pages, unchanged.
SUPERUSER_ONLY = ("admin:accounts_user", "admin:auth_group", "admin:account_emailaddress",
                  "admin:mfa_authenticator", "admin:django_tasks_database_dbtaskresult")  # fmt: skip
# Admin patterns by their ending: pages no moderator can open, and why.
ADMIN_ENDINGS = {
    "_delete": "nothing is ever deleted in the admin: no one holds a delete permission",
    "_history": "Django's change history, the same layout as every changelist",
    "_act": "takes a POST: a decision from a row's own page, which answers with the list's "
    "reason page (test_moderation checks both)",
    "_add": "records are made by services, not the admin (agreement versions and flag words "
    "are the exceptions, checked below)",
}


ADDED_IN_THE_ADMIN = {
    "admin:pledges_agreement_add",
    "admin:stories_flagword_add",
    "admin:places_place_add",
    "admin:opendata_yearreport_add",
}


def _excluded(name: str) -> str | None:
    for prefix, reason in NOT_PAGES.items():
        if name == prefix or (prefix.endswith(":") and name.startswith(prefix)):
            return reason
    if name.startswith(SUPERUSER_ONLY):
        return "superusers only: Django's and the libraries' own admin pages"
    if name.startswith("admin:") and name not in ADDED_IN_THE_ADMIN:
        return next((why for end, why in ADMIN_ENDINGS.items() if name.endswith(end)), None)
    return None


def _world():
    public = published_organisation("Every Page Trust")  # before a newer version is current
    update = public.updates.first()
    partners = make_partner_world()
    admin_user, ids = partners["admin"], partners["ids"]
    other = MembershipFactory().organisation  # one the partner may ask to join
    MembershipFactory(user=admin_user)  # a second organisation: /manage/ lists both
    invitee = UserFactory(email="invitee@example.org")
    invitation = Invitation.objects.create(
        organisation_id=ids["org_id"], email=invitee.email, invited_by=admin_user
    )
    unconfirmed = EmailAddress.objects.create(
        user=UserFactory(), email="unconfirmed@example.org", verified=False
    )
    moderator = UserFactory(email="every.page@example.org", is_staff=True)
    from accounts.moderators import moderators_group, network_moderators_group

    moderator.groups.add(moderators_group(), network_moderators_group())
    secret = enrol_totp(moderator)
    Concern.objects.create(
        organisation=public.organisation, place=public.place, reason="other", details="Check."
    )
    PledgeEvent.objects.create(pledge=public, action="published")
    Reminder.objects.create(pledge=public, kind="soon", due_at=public.published_at)
    from django.utils import timezone

    ModeratorDigest.objects.create(
        day=timezone.localdate(), covered_from=timezone.now(), covered_until=timezone.now()
    )
    priority = Priority.objects.filter(agreement=public.agreement).first()
    story = public.organisation.stories.public().first()
    StoryConcern.objects.create(story=story, reason="other", details="Check.")
    FlagWord.objects.get_or_create(word="son")
    year_report_save(
        report=YearReport(place=public.place, year=timezone.localdate().year),
        foreword="A year of **listening**.",
        updates=[update],
        stories=[story],
        by=moderator,
    )
    anonymous = {
        "registry:home": reverse("registry:home"),
        "registry:signatories": reverse("registry:signatories"),
        "registry:places": reverse("registry:places"),
        "registry:detail": public.organisation.get_absolute_url(),
        "registry:certificate": reverse("registry:certificate", args=[public.organisation.slug]),
        "registry:agreement": reverse("registry:agreement"),
        "registry:priority": priority.get_absolute_url(),
        "registry:updates": reverse("registry:updates"),
        "registry:update": update.get_absolute_url(),
        "registry:concern": reverse("registry:concern", args=[public.organisation.slug]),
        "registry:update-concern": reverse("registry:update-concern", args=[update.pk]),
        "registry:concern-sent": reverse("registry:concern-sent"),
        "registry:tell": reverse("registry:tell") + f"?organisation={public.organisation.slug}",
        "registry:story-sent": reverse("registry:story-sent"),
        "registry:story-confirm": reverse("registry:story-confirm", args=["emailed-token"]),
        "registry:story-withdraw": reverse("registry:story-withdraw", args=["emailed-token"]),
        "registry:story": story.get_absolute_url(),
        "registry:story-concern": reverse("registry:story-concern", args=[story.pk]),
        "opendata:statistics": reverse("opendata:statistics"),
        "opendata:year": reverse("opendata:year", args=[timezone.localdate().year]),
        "opendata:data": reverse("opendata:data"),
        "opendata:api-docs": reverse("opendata:api-docs"),
        "core:accessibility": reverse("core:accessibility"),
        "core:privacy": reverse("core:privacy"),
        "core:cookies": reverse("core:cookies"),
        "core:report-concern": reverse("core:report-concern"),
        "account_login": reverse("account_login"),
        "account_signup": reverse("account_signup"),
        "account_reset_password": reverse("account_reset_password"),
        "account_reset_password_done": reverse("account_reset_password_done"),
        "account_reset_password_from_key": reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(invitee),
                "key": default_token_generator.make_token(invitee),
            },
        ),
        "account_reset_password_from_key_done": reverse("account_reset_password_from_key_done"),
        "account_email_verification_sent": reverse("account_email_verification_sent"),
        "account_inactive": reverse("account_inactive"),
        "account_confirm_email": reverse(
            "account_confirm_email", args=[EmailConfirmationHMAC(unconfirmed).key]
        ),
    }
    partner = {
        "organisations:home": reverse("organisations:home"),
        "organisations:register": reverse("organisations:register"),
        "organisations:join": reverse("organisations:join", args=[other.slug]),
        "privacy:your-data": reverse("privacy:your-data"),
        "privacy:close-account": reverse("privacy:close-account"),
        "account_email": reverse("account_email"),
        "account_change_password": reverse("account_change_password"),
        "account_logout": reverse("account_logout"),
        "mfa_index": reverse("mfa_index"),
        "mfa_activate_totp": reverse("mfa_activate_totp"),
        **{name: url_for(name, pattern, ids) for name, pattern in ORG_URLS},
    }
    for name in ("pledges:sign-submitted", "organisations:join-request-decision"):
        partner.pop(name)
    invitee_pages = {
        "organisations:invitation": reverse("organisations:invitation", args=[invitation.token])
    }
    moderator_pages = _admin_pages()
    moderator_pages.update(
        {
            "mfa_deactivate_totp": reverse("mfa_deactivate_totp"),
            "mfa_generate_recovery_codes": reverse("mfa_generate_recovery_codes"),
            "mfa_view_recovery_codes": reverse("mfa_view_recovery_codes"),
        }
    )
    return {
        "anonymous": (None, anonymous),
        "partner": (admin_user, partner),
        "invitee": (invitee, invitee_pages),
        "moderator": (moderator, moderator_pages),
        "secret": secret,
    }


def _admin_pages():
    pages = {
        "admin:index": reverse("admin:index"),
        "admin:app_list": reverse("admin:app_list", args=["pledges"]),
        "admin:pledges_agreement_add": reverse("admin:pledges_agreement_add"),
        "admin:stories_flagword_add": reverse("admin:stories_flagword_add"),
        "admin:places_place_add": reverse("admin:places_place_add"),
        "admin:opendata_yearreport_add": reverse("admin:opendata_yearreport_add"),
        "admin:pledges_pledge_import": reverse("admin:pledges_pledge_import"),
        "admin:pledges_commitment_simple_history": None,  # filled from a commitment below
    }
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        if f"admin:{info}".startswith(SUPERUSER_ONLY):
            continue
        pages[f"admin:{info}_changelist"] = reverse(f"admin:{info}_changelist")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages[f"admin:{info}_change"] = reverse(f"admin:{info}_change", args=[first.pk])
    from pledges.models import Commitment, Pledge

    commitment = Commitment.objects.order_by("pk").first()
    record = commitment.history.first()
    pages["admin:pledges_commitment_simple_history"] = reverse(
        "admin:pledges_commitment_simple_history", args=[commitment.pk, record.history_id]
    )
    submitted = Pledge.objects.filter(status="published").first()
    pages["admin:pledges_pledge_decide"] = reverse(
        "admin:pledges_pledge_decide", args=[submitted.pk, "suspend"]
    )
    return pages


def _html_patterns():
    return sorted(name for name, _pattern in named_patterns() if not _excluded(name))


def test_every_html_pattern_has_a_route(seeded_agreement):
    world = _world()
    routed = {
        name for kind in ("anonymous", "partner", "invitee", "moderator") for name in world[kind][1]
    }
    missing = [name for name in _html_patterns() if name not in routed]
    assert not missing, f"pages no test opens at three widths: {missing}"


def _route(path):
    """The page an address is, with its place's prefix (if any) taken off, as the site does."""
    first = path.split("/", 2)[1]
    if Place.objects.filter(slug=first).exists():
        path = path[len(first) + 1 :]
    return resolve(path)


# Inputs a person types into or picks a file with, drawn as GOV.UK draws them, with no
# placeholder standing in for a label.
UNSTYLED_INPUTS = """() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(field => !['hidden', 'checkbox', 'radio', 'submit'].includes(field.type))
  .filter(field => !field.closest('[aria-hidden="true"]'))  // the trap for robots
  .filter(field => !(field.matches('.govuk-input, .govuk-select, .govuk-textarea, .govuk-file-upload')
                     && !field.hasAttribute('placeholder')))
  .map(field => field.outerHTML.slice(0, 120))"""

# On a phone a form's buttons fill the width, as GOV.UK's do (a group inside a group shrank
# them to the middle).
NARROW_BUTTONS = """() => [...document.querySelectorAll('main .govuk-button-group .govuk-button')]
  .filter(button => button.offsetParent !== null)
  .filter(button => {
    let group = button.closest('.govuk-button-group');
    for (let up = group; up; up = up.parentElement.closest('.govuk-button-group')) group = up;
    return button.getBoundingClientRect().width < group.clientWidth - 1;
  })
  .map(button => button.textContent.trim())"""


def _check(page, url, name):
    page.goto(url)
    landed = _route(urlsplit(page.url).path)
    assert landed.view_name == name, f"{name}: went to {page.url}"  # not a redirect elsewhere
    # The world has content for every page: a page that says it is missing, or lists nothing,
    # shows a state the data does not have.
    assert "Page not found" not in page.title(), f"{name} ({url}) says it is not found"
    empty = page.evaluate(
        # (Django's admin leaves its tools' list empty where there is no tool: not content.)
        "() => [...document.querySelectorAll('main ul:not(.object-tools), main ol')]"
        ".filter(list => !list.querySelector('li')).map(list => list.outerHTML.slice(0, 120))"
    )
    assert not empty, f"{name} ({url}) shows an empty list: {empty}"
    ours = not urlsplit(url).path.startswith("/admin/")
    if ours:
        unstyled = page.evaluate(UNSTYLED_INPUTS)
        assert not unstyled, f"{name} ({url}) has inputs without GOV.UK's look: {unstyled}"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        if width == 320:
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 320, f"{name} ({url}) is {wide} px wide on a 320 px screen"
            narrow = page.evaluate(NARROW_BUTTONS) if ours else []
            assert not narrow, f"{name} ({url}) has buttons narrower than a phone: {narrow}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{stem}-{width}.png", full_page=True)


def test_every_html_page_passes_axe_at_three_widths(browser, live_server, seeded_agreement):
    world = _world()
    for kind in ("anonymous", "partner", "invitee", "moderator"):
        user, pages = world[kind]
        client = Client()
        if user is not None:
            client.force_login(user)
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        if kind == "moderator":
            log_in_to_admin(page, user.email, world["secret"])
        elif user is not None:
            log_in(page, user.email, PASSWORD)
        for name, url in pages.items():
            _check(page, url, name)
        context.close()


def test_the_error_pages_pass_axe_at_three_widths_as_production_renders_them(page):
    for template, status in [
        ("400.html", 400),
        ("404.html", 404),
        ("413.html", 413),
        ("500.html", 500),
        ("503.html", 503),
    ]:
        response = plain_error(template, status)
        page.goto(reverse("healthz"))  # the site's origin, so the page's own styles load
        page.set_content(response.content.decode())
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 320)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 375, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"error-{status}-375.png", full_page=True)
