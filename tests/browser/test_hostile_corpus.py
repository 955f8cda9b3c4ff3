"""Every string of the hostile corpus, through every free-text field and query parameter,
over real HTTP; every accepted value rendered on every surface where it can appear.

What "reads back as documented" means (docs/decisions.md, "Text from people"): a value is
stored as the browser sent it, decoded as UTF-8 (invalid bytes become U+FFFD), with C0 and C1
control characters other than tab, newline and carriage return removed, normalised to NFC and
trimmed; NUL is refused with a message. Every output then escapes it for its own context.
"""

import csv
import io
import json
import re
from functools import cached_property
from html import escape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote_plus, urlsplit
from xml.etree import ElementTree

import pytest
import urllib3
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.text import clean_text
from opendata.downloads import spreadsheet_safe
from organisations.models import Organisation
from pledges.models import Pledge, Priority, ProgressUpdate
from stories.models import Story
from tests.factories import ModeratorFactory, UserFactory, whole_town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = json.loads((Path(__file__).parent.parent / "hostile" / "corpus.json").read_text())
STRINGS = [text for texts in CORPUS.values() for text in texts]
CHUNKS = 6  # small enough to spread evenly over the test processes
REPORT = Path(__file__).resolve().parent.parent.parent / "var" / "hostile-corpus"


def as_received(text: str) -> str:
    """What Django reads when a browser sends this text (lone surrogates are not UTF-8)."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def documented(text: str) -> str:
    return clean_text(as_received(text)).strip()


def form_body(data: dict) -> bytes:
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            encoded = str(item).encode("utf-8", "surrogatepass")
            pairs.append(f"{quote_plus(key)}={quote_plus(encoded)}")
    return "&".join(pairs).encode()


class Answer:
    """What the test reads of a response."""

    def __init__(self, response):
        self.status_code = response.status
        self.headers = response.headers  # any case
        self.content = response.data

    @cached_property
    def text(self):
        return self.content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


class Connection:
    """HTTP to the live server on one kept-alive connection, keeping cookies as a browser
    does. urllib3 itself: requests' own work (its cookie jar, redirect and proxy handling)
    cost the corpus a seventh of the server's time."""

    def __init__(self, base):
        address = urlsplit(base)
        self.pool = urllib3.HTTPConnectionPool(address.hostname, address.port, maxsize=1)
        self.cookies = {}

    def request(self, method, path, *, body=None, headers=None, follow=True):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.pool.request(
            method,
            path,
            body=body,
            headers={**(headers or {}), "Cookie": cookie},
            redirect=False,
            retries=False,
            timeout=30,
        )
        for header in response.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        answer = Answer(response)
        if follow and answer.status_code in (301, 302, 303):
            location = urlsplit(answer.headers["Location"])
            return self.get(location._replace(scheme="", netloc="").geturl())
        return answer

    def get(self, path):
        return self.request("GET", path)


class Http:
    """A signed-in person's browser session over real HTTP, counting what it sends."""

    def __init__(self, base, user, counts, form_page="/manage/register/"):
        self.base = base
        self.counts = counts
        self.web = Connection(base)
        if user is not None:
            client = Client()
            client.force_login(user)
            self.web.cookies["sessionid"] = client.cookies["sessionid"].value
        form = self.web.get(form_page).text
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    def post(self, path, data, files=None):
        fields = {"csrfmiddlewaretoken": self.token, **data}
        if files:  # multipart: values as UTF-8 bytes, lone surrogates and all
            parts = [
                (key, str(item).encode("utf-8", "surrogatepass"))
                for key, value in fields.items()
                for item in (value if isinstance(value, list) else [value])
            ]
            parts += [(key, file) for key, file in files.items()]
            body, content_type = urllib3.encode_multipart_formdata(parts)
        else:
            body, content_type = form_body(fields), "application/x-www-form-urlencoded"
        response = self.web.request(
            "POST",
            path,
            body=body,
            headers={"Referer": self.base + path, "Content-Type": content_type},
            follow=False,
        )
        self.counts["posts"] += 1
        assert response.status_code < 500, (path, data, response.text[:2000])
        return response

    def get(self, path, params=None):
        if params:
            path += "?" + form_body(params).decode()
        response = self.web.get(path)
        self.counts["gets"] += 1
        assert response.status_code < 500, (path, response.text[:2000])
        return response

    def first_accepted(self, path, candidates):
        """Post each candidate until one is accepted (a redirect); return it and the response."""
        for data in candidates:
            response = self.post(path, data)
            if response.status_code == 302:
                return data, response
            self.counts["refused"] += 1
        raise AssertionError(f"nothing accepted at {path}")


def _tiny_png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (20, 90, 80)).save(buffer, format="PNG")
    return buffer.getvalue()


TINY_PNG = _tiny_png()


def tell_a_story(visitor, moderator, partner, organisation, text, fallback, counts):
    """A resident tells the string as a story about the organisation, and as the name to show;
    confirms it with the emailed link's button; a moderator publishes it (and searches the
    admin for it); the organisation's admin thanks them with it; and someone reports a
    concern with it. Returns the published story."""
    from django.core import mail

    resident = {"email": f"r{organisation.pk}@example.net", "consent": "on", "website": ""}
    where = {"organisation": organisation.slug, "organisation_name": organisation.name}
    data, _ = visitor.first_accepted(
        reverse("registry:tell"),
        [
            {"body": text, "shown_name": text, **where, **resident},
            {"body": text, "shown_name": "", **where, **resident},
            {"body": fallback, "shown_name": text, **where, **resident},
            {"body": fallback, "shown_name": "", **where, **resident},
        ],
    )
    story = Story.objects.get(organisation=organisation)
    assert (story.body, story.shown_name) == (
        documented(data["body"]),
        documented(data["shown_name"]),
    )
    link = next(m for m in mail.outbox if m.to == [resident["email"]]).body
    confirm = re.search(r"(/kindness-seen/confirm/[^/\s]+/)", link).group(1)
    visitor.post(confirm, {})
    moderator.get(reverse("admin:stories_story_changelist"), {"q": text})
    moderator.post(
        reverse("admin:stories_story_changelist"),
        {"action": "publish_stories", "_selected_action": [story.pk]},
    )
    reply = reverse("stories:reply", kwargs={"org_id": organisation.pk, "story_id": story.pk})
    partner.first_accepted(reply, [{"reply": text}, {"reply": "Thank you."}])
    visitor.post(
        reverse("registry:story-concern", args=[story.pk]), {"reason": "other", "details": text}
    )
    story.refresh_from_db()
    assert story.is_public and story.reply in {documented(text), "Thank you."}
    counts["accepted"] += 1
    return story


def parse_xml(response, counts):
    ElementTree.fromstring(response.content)
    counts["xml_parsed"] += 1


def render_under_the_sites_policy(page, dialogs) -> str:
    """Open a real page, so that Chromium holds a document under the site's policy, and
    return that policy. Each organisation's pages are then written into that document
    (`set_content`): the bytes the server sent, run by Chromium under the same policy, at a
    seventh of the cost of a navigation (113 ms of Chromium's time a page against 15). The
    test checks that each response carries the same policy, and the lists and admin pages
    below are real navigations. First, proof that the check can fail in this document: a
    script that an image's error would run is refused and reported, never run."""
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    page.set_content('<img src="/no-such-image" onerror="alert(1)"><script>alert(2)</script>')
    page.wait_for_timeout(100)  # the image's error arrives after the content is written
    assert dialogs == [] and len(page.csp_violations) >= 2, page.csp_violations
    page.csp_violations.clear()
    return policy


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_the_hostile_corpus_never_breaks_a_page_or_runs_a_script(
    chunk, live_server, page, dialogs, settings
):
    strings = STRINGS[chunk::CHUNKS]
    settings.STORY_LIMIT = settings.STORY_EMAIL_LIMIT = settings.CONCERN_LIMIT = 10_000
    counts = dict.fromkeys(
        ["strings", "posts", "gets", "refused", "accepted", "xml_parsed", "chromium_pages"], 0
    )
    counts["strings"] = len(strings)
    base = live_server.url
    partner = Http(base, UserFactory(), counts)
    joiner = Http(base, UserFactory(), counts)
    moderator = Http(base, ModeratorFactory(), counts)
    visitor = Http(base, None, counts, form_page="/accounts/login/")
    public = Connection(base)  # a reader who never signs in
    priority = Priority.objects.get(agreement__is_current=True, number=1)
    policy = render_under_the_sites_policy(page, dialogs)
    expected_names = {}
    published = []

    for index, text in enumerate(strings):
        fallback = f"Corpus {chunk}-{index}"
        partner.post(  # every identifier and the website at once: refused or kept, never a 500
            reverse("organisations:register"),
            {
                "name": fallback,
                "type": "charity",
                "website": text,
                "charity_number": text,
                "company_number": text,
                "school_urn": text,
            },
        )
        data, response = partner.first_accepted(
            reverse("organisations:register"),
            [
                {
                    "name": text,
                    "description": text,
                    "type": "charity",
                    "confirm_new": "1",
                },
                {"name": text, "type": "charity", "confirm_new": "1"},
                {
                    "name": fallback,
                    "description": text,
                    "type": "charity",
                    "confirm_new": "1",
                },
                {"name": fallback, "type": "charity", "confirm_new": "1"},
            ],
        )
        organisation = Organisation.objects.get(
            pk=re.search(r"/manage/(\d+)/", response.headers["Location"]).group(1)
        )
        assert organisation.name == documented(data["name"])
        assert organisation.description == documented(data.get("description", ""))
        expected_names[organisation.pk] = organisation.name
        org = {"org_id": organisation.pk}

        partner.post(reverse("pledges:sign", kwargs=org), {})
        area = whole_town().pk
        partner.first_accepted(
            reverse("pledges:sign-priorities", kwargs=org),
            [{"choose_1": "on", "body_1": text}, {"choose_1": "on", "body_1": "We will listen."}],
        )
        partner.first_accepted(
            reverse("pledges:sign-statement", kwargs=org),
            [{"statement": text, "area": area}, {"statement": "We care.", "area": area}],
        )
        signatory = {"is_authorised": "on", "is_signatory_public": "on"}
        partner.first_accepted(
            reverse("pledges:sign-signatory", kwargs=org),
            [
                {"signatory_name": text, "signatory_role": text, **signatory},
                {"signatory_name": "Sam Lee", "signatory_role": "Head", **signatory},
            ],
        )
        partner.post(reverse("pledges:sign-check", kwargs=org), {})
        pledge = Pledge.objects.get(organisation=organisation)
        moderator.post(  # the moderator's reason form, then the partner submits again
            reverse("admin:pledges_pledge_changelist"),
            {
                "action": "return_pledges",
                "_selected_action": [pledge.pk],
                "apply": "1",
                "reason": text,
            },
        )
        partner.post(reverse("pledges:sign-check", kwargs=org), {})
        moderator.post(
            reverse("admin:pledges_pledge_changelist"),
            {"action": "approve_pledges", "_selected_action": [pledge.pk]},
        )
        pledge.refresh_from_db()
        assert pledge.status == Pledge.Status.PUBLISHED, pledge.status
        for value, stored in [
            (pledge.statement, "statement"),
            (pledge.signatory_name, "signatory"),
            (pledge.commitments.get().body, "commitment"),
        ]:
            assert value == documented(text) or value in {
                "We care.",
                "Sam Lee",
                "We will listen.",
            }, stored

        posted, _ = partner.first_accepted(
            reverse("pledges:update-new", kwargs=org),
            [
                {"title": text, "body": text, "priorities": [priority.pk]},
                {"title": fallback, "body": text, "priorities": [priority.pk]},
                {"title": fallback, "body": "We met.", "priorities": [priority.pk]},
            ],
        )
        update = ProgressUpdate.objects.get(pledge=pledge)
        assert (update.title, update.body) == (
            documented(posted["title"]),
            documented(posted["body"]),
        )
        commitment = pledge.commitments.get()
        partner.post(
            reverse("pledges:commitment-edit", kwargs={**org, "commitment_id": commitment.pk}),
            {"body": text, "progress": "in_progress"},
        )
        spare, _ = partner.first_accepted(
            reverse("pledges:update-new", kwargs=org),
            [{"title": "Spare", "body": "Spare", "priorities": [priority.pk]}],
        )
        spare = ProgressUpdate.objects.filter(pledge=pledge, title="Spare").get()
        partner.post(
            reverse("pledges:update-edit", kwargs={**org, "update_id": spare.pk}),
            {"title": text, "body": text, "priorities": [priority.pk], "image_alt": text},
            files={"image": ("photo.png", TINY_PNG, "image/png")},
        )
        partner.post(
            reverse("organisations:edit", kwargs=org),
            {
                "name": organisation.name,
                "type": "charity",
                "description": text,
            },
        )
        organisation.refresh_from_db()
        partner.post(
            reverse("pledges:update-remove", kwargs={**org, "update_id": spare.pk}),
            {"reason": text},
        )
        partner.post(reverse("organisations:invite", kwargs=org), {"email": text, "role": "member"})
        joiner.post(
            reverse("organisations:join", kwargs={"slug": organisation.slug}), {"message": text}
        )
        counts["accepted"] += 1

        visitor.post("/accounts/login/", {"login": text, "password": text})
        visitor.post("/accounts/signup/", {"email": text, "password1": text, "password2": text})
        moderator.get(reverse("admin:pledges_pledge_changelist"), {"q": text})
        for path, names in [
            (
                "/signatories/",
                ["q", "type", "priority", "area", "status", "sort", "withdrawn", "page"],
            ),
            ("/updates/", ["show", "priority", "type", "area", "page"]),
            ("/kindness-seen/tell/", ["organisation", "priority"]),
            ("/api/v1/stories", ["organisation", "priority", "page", "page_size"]),
            ("/api/v1/organisations", ["page", "page_size"]),
            ("/api/v1/updates", ["page", "page_size"]),
        ]:
            joiner.get(path, dict.fromkeys(names, text))

        slug = organisation.slug
        for path in (
            organisation.get_absolute_url(),
            update.get_absolute_url(),
            reverse("registry:certificate", args=[slug]),
        ):
            html = public.get(path)
            counts["gets"] += 1
            assert html.status_code == 200, path
            assert escape(organisation.name) in html.text, path
            assert html.headers["Content-Security-Policy"] == policy, path
            page.set_content(html.text)
            counts["chromium_pages"] += 1
        for path in (
            reverse("registry:badge", args=[slug]),
            reverse("opendata:organisation-feed", args=[slug]),
        ):
            xml = public.get(path)
            counts["gets"] += 1
            assert xml.status_code == 200
            parse_xml(xml, counts)
        partner.get(reverse("organisations:members", kwargs=org))
        story = tell_a_story(visitor, moderator, partner, organisation, text, fallback, counts)
        for path in (story.get_absolute_url(), organisation.get_absolute_url()):
            html = public.get(path)
            counts["gets"] += 1
            assert html.status_code == 200 and html.headers["Content-Security-Policy"] == policy
            page.set_content(html.text)
            counts["chromium_pages"] += 1
        parse_xml(public.get(reverse("opendata:organisation-stories-feed", args=[slug])), counts)
        published.append((organisation, text))

    # Surfaces that show every organisation at once.
    parse_xml(partner.get(reverse("opendata:feed")), counts)
    parse_xml(partner.get(reverse("opendata:stories-feed")), counts)
    text_csv = partner.get(reverse("opendata:download", args=["stories", "csv"])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text_csv.lstrip("\ufeff"))))
    data = partner.get(reverse("opendata:download", args=["stories", "json"])).json()["data"]
    assert len(rows) == len(data) == len(strings)
    for row, item in zip(rows, data, strict=True):
        assert row["story"] == spreadsheet_safe(item["story"])
        assert row["shown_name"] == spreadsheet_safe(item["shown_name"])
        assert row["reply"] == spreadsheet_safe(item["reply"])
    api_stories = partner.get("/api/v1/stories", {"page_size": 100}).json()["items"]
    assert {item["story"] for item in api_stories} == {item["story"] for item in data}
    for kind in ("organisations", "updates"):
        text_csv = partner.get(reverse("opendata:download", args=[kind, "csv"])).content.decode()
        rows = list(csv.DictReader(io.StringIO(text_csv.lstrip("\ufeff"))))
        data = partner.get(reverse("opendata:download", args=[kind, "json"])).json()["data"]
        assert len(rows) == len(data) >= len(strings)
        for row, item in zip(rows, data, strict=True):
            assert row["organisation_name"] == spreadsheet_safe(item["organisation_name"])
            assert item["organisation_name"] == expected_names[item["organisation_id"]]
    listed = {}
    for number in range(1, 10):
        response = partner.get("/api/v1/organisations", {"page": number, "page_size": 100})
        if response.status_code != 200:
            break
        listed.update({item["id"]: item["name"] for item in response.json()["items"]})
    assert listed == expected_names
    browser_pages = [
        "/signatories/",
        "/updates/",
        "/",
        "/statistics/",
        *(f"/signatories/?page={n}" for n in range(2, len(strings) // 20 + 2)),
    ]
    for model in ("organisation", "membership", "joinrequest", "invitation"):
        moderator.get(reverse(f"admin:organisations_{model}_changelist"))
    for model in ("pledge", "commitment", "progressupdate", "pledgeevent"):
        moderator.get(reverse(f"admin:pledges_{model}_changelist"))
    for model in ("story", "storyconcern"):
        moderator.get(reverse(f"admin:stories_{model}_changelist"))
    for path in browser_pages:
        page.goto(path)
        counts["chromium_pages"] += 1
    page.context.add_cookies(
        [{"name": "sessionid", "value": moderator.web.cookies["sessionid"], "url": base}]
    )
    for model in (
        "pledges_pledge",
        "pledges_progressupdate",
        "pledges_commitment",
        "pledges_pledgeevent",
        "organisations_organisation",
        "organisations_joinrequest",
        "stories_story",
        "stories_storyconcern",
    ):
        page.goto(reverse(f"admin:{model}_changelist") + "?all=")
        counts["chromium_pages"] += 1

    # Last, each organisation withdraws, giving its string as the reason.
    for organisation, text in published:
        org = {"org_id": organisation.pk}
        partner.post(reverse("pledges:withdraw", kwargs=org), {"reason": text})
        partner.get(reverse("pledges:dashboard", kwargs=org))
        withdrawn = partner.get(organisation.get_absolute_url())
        assert escape(organisation.name) in withdrawn.text

    assert dialogs == []
    counts["scripts_run"] = len(dialogs)
    counts["csp_violations"] = len(page.csp_violations)
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / f"chunk-{chunk}.json").write_text(json.dumps(counts, indent=1))
