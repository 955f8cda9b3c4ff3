"""Everything held about one person, for a subject access request (UK GDPR Article 15).

COVERED names every (model, field) that points at a user; a test fails when a model with a
user foreign key is added and not listed here, so nothing is left out of an export unnoticed.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry

from organisations.models import Invitation, JoinRequest, Membership, Organisation
from organisations.permissions import is_moderator
from pledges.models import (
    Commitment,
    Concern,
    ModeratorVisit,
    Pledge,
    PledgeEvent,
    ProgressUpdate,
)
from stories.models import Story, StoryConcern, StoryEdit

COVERED = {
    ("admin.LogEntry", "user"),
    ("account.EmailAddress", "user"),
    ("mfa.Authenticator", "user"),
    ("organisations.Membership", "user"),
    ("organisations.Invitation", "invited_by"),
    ("organisations.JoinRequest", "user"),
    ("organisations.JoinRequest", "decided_by"),
    ("pledges.Pledge", "signed_by"),
    ("pledges.HistoricalCommitment", "history_user"),
    ("pledges.ProgressUpdate", "author"),
    ("pledges.PledgeEvent", "actor"),
    ("pledges.ModeratorVisit", "user"),
    ("pledges.Concern", "decided_by"),
    ("organisations.Organisation", "verified_by"),
    ("stories.Story", "decided_by"),
    ("stories.Story", "reply_by"),
    ("stories.StoryEdit", "by"),
    ("stories.StoryConcern", "decided_by"),
    ("places.Place", "moderators"),
}


def _when(value):
    return value.isoformat() if value else None


def personal_data(user) -> dict:
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "joined": _when(user.date_joined),
            "last_sign_in": _when(user.last_login),
            "is_moderator": is_moderator(user),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        # The kind of second factor and when it was used; never its secret.
        "two_factor_methods": [
            {"type": a.type, "created": _when(a.created_at), "last_used": _when(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user)
        ],
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "since": _when(m.created_at)}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "invitations_sent": [_invitation(i) for i in Invitation.objects.filter(invited_by=user)],
        "invitations_received": [
            _invitation(i) for i in Invitation.objects.filter(email__in=addresses)
        ],
        "join_requests": [_join_request(j) for j in JoinRequest.objects.filter(user=user)],
        "join_requests_decided": [
            _join_request(j) for j in JoinRequest.objects.filter(decided_by=user)
        ],
        "pledges_signed": [
            {
                "organisation": p.organisation.name,
                "agreement_version": p.agreement.version,
                "status": p.status,
                "signatory_name": p.signatory_name,
                "signatory_role": p.signatory_role,
                "signatory_published": p.is_signatory_public,
                "statement": p.statement,
                "created": _when(p.created_at),
            }
            for p in Pledge.objects.filter(signed_by=user).select_related(
                "organisation", "agreement"
            )
        ],
        "commitment_wordings": [
            {
                "commitment": h.id,
                "body": h.body,
                "progress": h.progress,
                "when": _when(h.history_date),
            }
            for h in Commitment.history.filter(history_user=user)
        ],
        "updates_written": [
            {
                "title": u.title,
                "body": u.body,
                "status": u.status,
                "published": _when(u.published_at),
            }
            for u in ProgressUpdate.objects.filter(author=user)
        ],
        "pledge_events": [
            {
                "organisation": e.pledge.organisation.name,
                "action": e.action,
                "reason": e.reason,
                "when": _when(e.created_at),
            }
            for e in PledgeEvent.objects.filter(actor=user).select_related("pledge__organisation")
        ],
        "admin_actions": [
            {
                "when": _when(e.action_time),
                "object": e.object_repr,
                "change": e.get_change_message(),
            }
            for e in LogEntry.objects.filter(user=user)
        ],
        "concerns_decided": [
            {
                "organisation": c.organisation.name,
                "status": c.status,
                "note": c.decision_note,
                "when": _when(c.decided_at),
            }
            for c in Concern.objects.filter(decided_by=user).select_related("organisation")
        ],
        "organisations_verified": [
            {"organisation": o.name, "note": o.verification_note, "when": _when(o.verified_at)}
            for o in Organisation.objects.filter(verified_by=user)
        ],
        "stories_told": stories_told(user.email),
        "story_replies_written": [
            {"story": s.pk, "reply": s.reply, "when": _when(s.reply_at)}
            for s in Story.objects.filter(reply_by=user)
        ],
        "stories_decided": [
            {"story": s.pk, "status": s.status, "reason": s.decline_reason}
            for s in Story.objects.filter(decided_by=user)
        ],
        "story_edits": [
            {"story": e.story_id, "note": e.note, "when": _when(e.at)}
            for e in StoryEdit.objects.filter(by=user)
        ],
        "story_concerns_decided": [
            {"story": c.story_id, "status": c.status, "note": c.decision_note}
            for c in StoryConcern.objects.filter(decided_by=user)
        ],
        "places_moderated": list(user.moderated_places.values_list("name", flat=True)),
        "moderation_queue_last_opened": _when(
            ModeratorVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()
        ),
    }


def stories_told(email: str) -> list[dict]:
    """The stories of kindness seen told from this address (a resident needs no account)."""
    return [
        {
            "story": s.body,
            "organisation": s.organisation.name if s.organisation else None,
            "area": s.area,
            "priority": s.priority.title if s.priority else None,
            "name_shown": s.shown_name,
            "email": s.email,
            "status": s.status,
            "told": _when(s.created_at),
            "confirmed": _when(s.confirmed_at),
            "published": _when(s.published_at),
            "declined": _when(s.declined_at),
            "decline_reason": s.decline_reason,
        }
        for s in Story.objects.filter(email__iexact=email.strip()).select_related(
            "organisation", "priority"
        )
    ]


def _invitation(invitation):
    return {
        "organisation": invitation.organisation.name,
        "email": invitation.email,
        "role": invitation.role,
        "sent": _when(invitation.created_at),
        "accepted": _when(invitation.accepted_at),
    }


def _join_request(join_request):
    return {
        "organisation": join_request.organisation.name,
        "message": join_request.message,
        "status": join_request.status,
        "asked": _when(join_request.created_at),
        "decided": _when(join_request.decided_at),
    }
