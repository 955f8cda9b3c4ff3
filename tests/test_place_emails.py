"""Every email the registry sends, for an organisation that signed only in the second place:
made through the services as people would, every link followed with the test client in that
place, and no other place named. The templates on disk are the list: one that no flow here
sends fails the test until a flow sends it."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

import core.emails
from moderation.digest import send_moderator_digest
from moderation.paper_import import check
from moderation.reminders import send_reminders
from moderation.services import paper_signatories_import
from organisations import services as organisations
from organisations.models import Membership, Organisation
from pledges import services as pledges
from pledges.models import Agreement, Concern
from privacy.services import retention_apply
from stories import services as stories
from stories.models import Story
from tests.factories import (
    AgreementFactory,
    ModeratorFactory,
    UserFactory,
    north_ayrshire,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def sent(monkeypatch):
    """The email templates rendered, by name (every email renders its subject first)."""
    names = []
    render = core.emails.render_text

    def recording(template_name, context):
        if template_name.endswith("_subject.txt"):
            names.append(template_name.removesuffix("_subject.txt"))
        return render(template_name, context)

    monkeypatch.setattr(core.emails, "render_text", recording)
    return names


def _templates_on_disk() -> set[str]:
    root = Path(settings.BASE_DIR)
    found = set()
    for path in root.glob("*/templates/*/email/*_subject.txt"):
        found.add(str(path.relative_to(path.parents[2])).removesuffix("_subject.txt"))
    return found


def _signed_in_ayrshire(ayrshire, admin):
    """An organisation nobody knows in Cheltenham registers and signs in North Ayrshire."""
    organisation = organisations.organisation_register(
        by=admin, data={"name": "Irvine Community Larder", "type": "charity"}
    )
    pledge = pledges.pledge_start(organisation=organisation, by=admin, place=ayrshire)
    priorities = list(pledge.agreement.priorities.all()[:2])
    pledges.pledge_save_priorities(
        pledge=pledge,
        by=admin,
        commitments={p: "We sit down with every visitor." for p in priorities},
    )
    pledges.pledge_save_statement(
        pledge=pledge,
        by=admin,
        statement="Because Irvine deserves it.",
        area=ayrshire.areas.first(),
    )
    pledges.pledge_save_signatory(
        pledge=pledge, by=admin, name="Morag Reid", role="Chair", is_authorised=True, is_public=True
    )
    pledges.pledge_submit(pledge=pledge, by=admin)
    return organisation, pledge


def test_every_email_about_a_second_place_is_written_in_it(
    client, sent, django_capture_on_commit_callbacks
):
    ayrshire = north_ayrshire(areas=("The whole of North Ayrshire", "Irvine"), live=True)
    moderator = ModeratorFactory(email="mod@ayrshire.example", places=[ayrshire])
    ModeratorFactory(email="mod@network.example")
    admin = UserFactory(email="admin@larder.example")
    with django_capture_on_commit_callbacks(execute=True):
        organisation, pledge = _signed_in_ayrshire(ayrshire, admin)
        pledges.pledge_return(pledge=pledge, by=moderator, reason="Say a little more.")
        pledges.pledge_submit(pledge=pledge, by=admin)
        pledges.pledge_publish(pledge=pledge, by=moderator)
        colleague = UserFactory(email="colleague@larder.example")
        request = organisations.join_request_create(organisation=organisation, by=colleague)
        organisations.join_request_decide(join_request=request, by=admin, approve=True)
        organisations.invitation_create(
            organisation=organisation, by=admin, email="new@larder.example", role="editor"
        )
        update = pledges.progress_update_publish(
            pledge=pledge, by=admin, title="Soup and a chat", body="We sat down.", priorities=[]
        )
        concern = pledges.concern_report(
            organisation=organisation, place=ayrshire, update=update, reason=Concern.Reason.OTHER,
            details="A name.", by=UserFactory.build(),
        )  # fmt: skip
        pledges.concern_uphold(concern=concern, by=moderator, reason="It named a child.")
        pledges.progress_update_publish(
            pledge=pledge, by=admin, title="Tea on Tuesdays", body="Come along.", priorities=[]
        )
        told = stories.story_submit(
            body="The larder found us a warm seat.", email="resident@example.net",
            place=ayrshire, organisation=organisation,
        )  # fmt: skip
        declined = stories.story_submit(
            body="Another story.", email="other@example.net", place=ayrshire
        )
        Story.objects.filter(pk__in=[told.pk, declined.pk]).update(
            status=Story.Status.WAITING, confirmed_at=timezone.now()
        )
        stories.story_publish(story=told, by=moderator)
        stories.story_decline(story=declined, by=moderator, reason="Not about kindness.")
        stories.story_concern_report(story=told, reason="other", details="Check it.")
        plan = check(
            "name,type,website,contact_email,date_signed,priorities,commitment_1\n"
            "Kilwinning Food Bank,charity,,claim@foodbank.example,2024-03-15,1,We listen.\n",
            ayrshire,
        )
        paper_signatories_import(plan=plan, by=moderator, place=ayrshire)
    with django_capture_on_commit_callbacks(execute=True):
        version_2 = AgreementFactory(
            place=ayrshire, version=2, priorities=True, published_at=timezone.now()
        )
        pledges.agreement_make_current(agreement=version_2, by=moderator, reason="Clearer.")
    with django_capture_on_commit_callbacks(execute=True):
        send_moderator_digest(now=timezone.now() + timedelta(minutes=1))
    pledge.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(now=pledge.next_update_due + timedelta(days=1))
    far = timezone.now() + timedelta(days=settings.RETENTION_INACTIVE_ACCOUNT_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(now=far)

    assert set(sent) >= _templates_on_disk(), _templates_on_disk() - set(sent)
    assert Organisation.objects.get(name="Kilwinning Food Bank")
    for message in mail.outbox:
        html = message.alternatives[0][0] if message.alternatives else ""
        text = f"{message.subject}\n{message.body}\n{html}"
        assert "Cheltenham" not in text, message.subject
        for link in set(LINK.findall(message.body)):
            path = "/" + link.split("://", 1)[1].split("/", 1)[1]
            network = path.startswith(("/admin/", "/organisations/invitations/", "/manage/"))
            assert path.startswith("/north-ayrshire/") or network, (message.subject, path)
            client.force_login(moderator if path.startswith("/admin/") else admin)
            response = client.get(path)
            assert response.status_code in {200, 302}, (message.subject, path)
            if response.status_code == 302:  # only to sign in, or to the same page in place
                assert (
                    "/accounts/" in response["Location"] or "north-ayrshire" in response["Location"]
                ), (message.subject, path, response["Location"])
    assert Membership.objects.filter(organisation=organisation).exists()
    assert Agreement.objects.get_current(ayrshire) == version_2
