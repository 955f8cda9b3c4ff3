"""Every pledge state × every action × every kind of actor: each legal move changes the state,
records its event and sends its email; each illegal one raises and changes nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from organisations.models import Membership
from pledges import services
from pledges.models import Pledge, PledgeEvent
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

S = Pledge.Status
A = PledgeEvent.Action
ACTIONS = {
    "submit": (services.pledge_submit, {}),
    "publish": (services.pledge_publish, {}),
    "return": (services.pledge_return, {"reason": "Say more about priority 2."}),
    "suspend": (services.pledge_suspend, {"reason": "A concern is being looked at."}),
    "reinstate": (services.pledge_reinstate, {"reason": "The concern was resolved."}),
    "withdraw": (services.pledge_withdraw, {"reason": "We are closing."}),
    "confirm": (services.pledge_confirm_accurate, {}),
}
ACTORS = ["anonymous", "stranger", "editor", "admin", "moderator"]
# (action, from state, actor) -> (new state, event, who is emailed)
LEGAL = {
    ("submit", S.DRAFT, "admin"): (S.SUBMITTED, A.SUBMITTED, {"admins", "moderators"}),
    ("submit", S.RETURNED, "admin"): (S.SUBMITTED, A.SUBMITTED, {"admins", "moderators"}),
    ("publish", S.SUBMITTED, "moderator"): (S.PUBLISHED, A.PUBLISHED, {"admins"}),
    ("return", S.SUBMITTED, "moderator"): (S.RETURNED, A.RETURNED, {"admins"}),
    ("suspend", S.PUBLISHED, "moderator"): (S.SUSPENDED, A.SUSPENDED, {"admins"}),
    ("reinstate", S.SUSPENDED, "moderator"): (S.PUBLISHED, A.REINSTATED, {"admins"}),
    ("withdraw", S.PUBLISHED, "admin"): (S.WITHDRAWN, A.WITHDRAWN, set()),
    ("confirm", S.PUBLISHED, "editor"): (S.PUBLISHED, A.CONFIRMED, set()),
    ("confirm", S.PUBLISHED, "admin"): (S.PUBLISHED, A.CONFIRMED, set()),
}
CASES = [(action, state, actor) for action in ACTIONS for state in S.values for actor in ACTORS]


def complete_pledge(status):
    """A pledge in `status` with every signing step done, an admin and an editor."""
    admin = MembershipFactory(role=Membership.Role.ADMIN, user__email="admin@school.example")
    organisation = admin.organisation
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    published = status in {S.PUBLISHED, S.WITHDRAWN, S.SUSPENDED, S.SUPERSEDED}
    pledge = PledgeFactory(
        organisation=organisation, status=status, published=published, is_authorised=True
    )
    superseded_at = pledge.published_at if status == S.SUPERSEDED else None
    Pledge.objects.filter(pk=pledge.pk).update(status=status, superseded_at=superseded_at)
    CommitmentFactory(pledge=pledge)
    pledge.refresh_from_db()
    actors = {
        "anonymous": AnonymousUser(),
        "stranger": UserFactory(),
        "editor": editor.user,
        "admin": admin.user,
        "moderator": ModeratorFactory(email="moderator@council.example"),
    }
    return pledge, actors


@pytest.mark.parametrize(("action", "state", "actor"), CASES)
def test_every_transition(action, state, actor, django_capture_on_commit_callbacks):
    pledge, actors = complete_pledge(state)
    service, arguments = ACTIONS[action]
    recipients = {"admins": ["admin@school.example"], "moderators": ["moderator@council.example"]}
    legal = LEGAL.get((action, state, actor))
    before = Pledge.objects.filter(pk=pledge.pk).values().get()
    with django_capture_on_commit_callbacks(execute=True):
        if legal:
            service(pledge=pledge, by=actors[actor], **arguments)
        else:
            with pytest.raises(services.PledgeStateError):
                service(pledge=pledge, by=actors[actor], **arguments)
    if not legal:
        assert Pledge.objects.filter(pk=pledge.pk).values().get() == before
        assert not pledge.events.exists() and mail.outbox == []
        return
    new_state, event, emailed = legal
    pledge.refresh_from_db()
    assert pledge.status == new_state
    recorded = pledge.events.get()
    assert (recorded.action, recorded.actor) == (event, actors[actor])
    assert recorded.reason == arguments.get("reason", "")
    sent = sorted(address for message in mail.outbox for address in message.to)
    assert sent == sorted(a for group in emailed for a in recipients[group])
