"""Every write to residents' stories: telling, confirming and withdrawing (by the resident,
with the emailed token, no account), moderating, the organisation's thank-you, and concerns.

Moderators act through `accounts.moderators.is_moderator` (via organisations.permissions) and
organisations through its rules; each service locks the story it changes. Stories are not
pledge events: the story keeps its own dates and deciders, and edits are `StoryEdit` rows."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versions import public_data_changed
from organisations import permissions
from places.emails import send_place_email
from pledges.services import concern_decide

from .flags import flag_words_in
from .models import Story, StoryConcern, StoryEdit, duplicate_key, token_digest
from .tasks import email_resident


class StoryError(Exception):
    """An action the story's state or the person's role does not allow; the message says why."""


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise StoryError(message)


def _locked(story: Story) -> Story:
    return (
        Story.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=story.pk)
    )


def _moderator(by, place_id) -> None:
    """A moderator of the place the story is in."""
    _require(permissions.moderates(by, place_id), _("Only moderators can do this."))


def story_submit(
    *, body, email, place, organisation=None, area=None, priority=None, shown_name="", by=None
):
    """A resident tells a story (anyone may: `by`, signed in or not, is not kept). It waits,
    unseen, until they confirm their address from the emailed link (the email also carries
    the withdraw link). The same story from the same address again, even fifty times at once,
    is the one story and sends no second email.

    Returns the story, or None for a repeat. Not locked: the unique duplicate key decides.
    Not recorded as an event: the story keeps its own dates."""
    # A placeholder nobody holds: the emailed token is made when the email is sent.
    token = secrets.token_urlsafe(32)
    story = Story(
        body=body,
        email=email.strip(),
        place=place,
        organisation=organisation,
        area=area,
        priority=priority,
        shown_name=shown_name,
        duplicate_key=duplicate_key(email, body),
        token_digest=token_digest(token),
        flagged=bool(flag_words_in(body)),
    )
    story.full_clean(
        exclude=["place", "organisation", "area", "priority"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            story.save()
    except IntegrityError:
        if Story.objects.filter(duplicate_key=story.duplicate_key).exists():
            return None
        raise
    _email_resident(story, "stories/email/confirm")
    return story


def _email_resident(story: Story, template: str) -> None:
    """Queue an email to the story's resident when the data commits, by the story's id only."""
    story_id = story.pk
    transaction.on_commit(lambda: email_resident.enqueue(story_id=story_id, template=template))


@transaction.atomic
def story_token_issue(*, story: Story, by=None) -> str:
    """A new token for the story's emailed links, made when the confirmation is sent: only its
    digest is kept, and the token itself lives only in that email. Sending it again (a retry)
    makes a new one; the earlier email never arrived.

    Locked: the story's row. Not recorded as an event: the token is not a decision. `by` is
    the task, not a person."""
    story = _locked(story)
    token = secrets.token_urlsafe(32)
    story.token_digest = token_digest(token)
    story.save(update_fields=["token_digest"])
    return token


def _by_token(token: str) -> Story | None:
    return (
        Story.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(token_digest=token_digest(token))
        .first()
    )


@transaction.atomic
def story_confirm(*, token: str, by=None) -> Story | None:
    """The resident confirms their address (a POST from the page the link opens: mail
    scanners follow links). The story goes to the moderators. Twice is the same as once.
    The token is the actor (`by` is not kept). Not recorded as an event: `confirmed_at` is."""
    story = _by_token(token)
    if story is not None and story.status == Story.Status.UNCONFIRMED:
        story.status = Story.Status.WAITING
        story.confirmed_at = timezone.now()
        story.save(update_fields=["status", "confirmed_at"])
    return story


@transaction.atomic
def story_withdraw(*, token: str, by=None) -> bool:
    """The resident takes their story back, at any time: it is deleted, with its concerns and
    edit notes, and leaves every public page at once. False when there is nothing to withdraw.
    The token is the actor (`by` is not kept). Not recorded: nothing of the story is kept."""
    story = _by_token(token)
    if story is None:
        return False
    was_public = story.is_public
    story.delete()
    if was_public:
        public_data_changed(story.place_id)
    return True


@transaction.atomic
def story_publish(*, story: Story, by) -> Story:
    """A moderator publishes a waiting story; the resident and the organisation's admins are
    told. Not recorded as an event: the story keeps who decided and when."""
    story = _locked(story)
    _moderator(by, story.place_id)
    if story.status != Story.Status.WAITING:
        raise StoryError(_("Only a story waiting for a moderator can be published."))
    story.status = Story.Status.PUBLISHED
    story.published_at = timezone.now()
    story.decided_by = by
    story.save(update_fields=["status", "published_at", "decided_by"])
    public_data_changed(story.place_id, addition=True)
    _email_resident(story, "stories/email/published")
    if story.organisation is not None:
        send_place_email(
            "stories/email/noticed",
            story.organisation.admin_emails(),
            {"story": story},
            place=story.place,
        )
    return story


@transaction.atomic
def story_decline(*, story: Story, by, reason: str) -> Story:
    """A moderator declines a waiting story, and the resident is told why, kindly.
    Not recorded as an event: the story keeps who decided, when and why."""
    _require(bool(reason.strip()), _("Give a reason. The resident will read it."))
    story = _locked(story)
    _moderator(by, story.place_id)
    if story.status != Story.Status.WAITING:
        raise StoryError(_("Only a story waiting for a moderator can be declined."))
    story.status = Story.Status.DECLINED
    story.declined_at = timezone.now()
    story.decline_reason = reason
    story.decided_by = by
    story.save(update_fields=["status", "declined_at", "decline_reason", "decided_by"])
    _email_resident(story, "stories/email/declined")
    return story


@transaction.atomic
def story_edit(*, story: Story, by, body: str, note: str) -> Story:
    """A moderator edits personal details out of a story, saying what and why. Not recorded
    as an event: recorded as a `StoryEdit` (who, when, why; the words removed are not kept)."""
    _require(bool(note.strip()), _("Say what you changed and why."))
    story = _locked(story)
    _moderator(by, story.place_id)
    if body == story.body:
        return story
    story.body = body
    story.flagged = bool(flag_words_in(body))
    story.full_clean(
        exclude=["place", "organisation", "area", "priority"], validate_constraints=False
    )
    story.save(update_fields=["body", "flagged"])
    StoryEdit.objects.create(story=story, by=by, note=note)
    if story.is_public:
        public_data_changed(story.place_id)
    return story


@transaction.atomic
def story_hide(*, story: Story, by, reason: str) -> Story:
    """A moderator takes a published story out of view. Not recorded as an event: the story
    keeps when and why."""
    _require(bool(reason.strip()), _("Give a reason for hiding it."))
    story = _locked(story)
    _moderator(by, story.place_id)
    _require(story.status == Story.Status.PUBLISHED, _("Only a published story can be hidden."))
    if story.moderator_hidden_at is None:
        story.moderator_hidden_at = timezone.now()
        story.hidden_reason = reason
        story.save(update_fields=["moderator_hidden_at", "hidden_reason"])
        public_data_changed(story.place_id)
    return story


@transaction.atomic
def story_restore(*, story: Story, by) -> Story:
    """A moderator shows a story they hid again; an open concern can still hold it back.
    Not recorded as an event: the admin's own log keeps who."""
    story = _locked(story)
    _moderator(by, story.place_id)
    if story.moderator_hidden_at is not None:
        story.moderator_hidden_at = None
        story.save(update_fields=["moderator_hidden_at"])
        public_data_changed(story.place_id, addition=True)
    return story


@transaction.atomic
def story_reply(*, story: Story, by, text: str) -> Story:
    """An admin of the organisation thanks the resident publicly, once: public at once, and
    a moderator can hide it. Not recorded as an event: the reply keeps who and when."""
    story = _locked(story)
    _require(
        story.organisation is not None
        and permissions.allows(by, permissions.THANK_RESIDENT, story.organisation),
        _("Only an admin of the organisation can reply."),
    )
    _require(story.is_public, _("You can reply once the story is published."))
    if story.reply and story.reply == text:  # a double click: already done
        return story
    _require(not story.reply, _("Your organisation has already replied to this story."))
    _require(bool(text.strip()), _("Enter your reply"))
    story.reply = text
    story.reply_by = by
    story.reply_at = timezone.now()
    story.full_clean(
        exclude=["place", "organisation", "area", "priority"], validate_constraints=False
    )
    story.save(update_fields=["reply", "reply_by", "reply_at"])
    public_data_changed(story.place_id, addition=True)  # once: never an edit
    return story


@transaction.atomic
def story_reply_hide(*, story: Story, by, hidden: bool = True) -> Story:
    """A moderator hides an organisation's reply (or shows it again). Not recorded as an
    event: the story keeps when."""
    story = _locked(story)
    _moderator(by, story.place_id)
    _require(bool(story.reply), _("This story has no reply."))
    story.reply_hidden_at = timezone.now() if hidden else None
    story.save(update_fields=["reply_hidden_at"])
    public_data_changed(story.place_id, addition=not hidden)
    return story


@transaction.atomic
def story_concern_report(*, story: Story, reason: str, details: str, by=None) -> StoryConcern:
    """Anyone may report a concern about a published story (`by` is not kept), as about an
    update: one that it shares personal information about a child or family hides it at once.
    Moderators are emailed either way. Not recorded as an event: the concern is the record."""
    story = _locked(story)
    concern = StoryConcern(story=story, reason=reason, details=details)
    concern.full_clean(exclude=["story"])
    concern.hidden_automatically = reason == StoryConcern.HIDES_AT_ONCE and story.is_public
    concern.save()
    if concern.hidden_automatically:
        story.concern_hidden_at = timezone.now()
        story.save(update_fields=["concern_hidden_at"])
        public_data_changed(story.place_id)
    send_place_email(
        "stories/email/concern_reported",
        list(permissions.moderators_of(story.place_id).values_list("email", flat=True)),
        {"concern": concern},
        place=story.place,
    )
    return concern


def _locked_open_concern(concern: StoryConcern, by) -> StoryConcern:
    concern = (
        StoryConcern.objects.select_for_update(of=("self",))
        .select_related("story")
        .get(pk=concern.pk)
    )
    _moderator(by, concern.story.place_id)
    _require(
        concern.status == StoryConcern.Status.OPEN, _("This concern has already been decided.")
    )
    return concern


@transaction.atomic
def story_concern_uphold(*, concern: StoryConcern, by, reason: str) -> StoryConcern:
    """Hide the story the concern is about, with the reason. Not recorded as an event: the
    concern keeps the decision, and the story when and why it was hidden."""
    concern = _locked_open_concern(concern, by)
    story_hide(story=concern.story, by=by, reason=reason)
    return concern_decide(concern=concern, by=by, status=StoryConcern.Status.UPHELD, note=reason)


@transaction.atomic
def story_concern_dismiss(*, concern: StoryConcern, by, note: str) -> StoryConcern:
    """Close a concern with nothing to act on. A story it hid comes back once no open concern
    holds it; a moderator's own hide stands. Not recorded as an event: the concern keeps who,
    when and the note."""
    concern = _locked_open_concern(concern, by)
    _require(bool(note.strip()), _("Write a note saying why nothing needs to change."))
    concern_decide(concern=concern, by=by, status=StoryConcern.Status.DISMISSED, note=note)
    story = _locked(concern.story)
    holding = story.concerns.open().filter(hidden_automatically=True)
    if story.concern_hidden_at is not None and not holding.exists():
        story.concern_hidden_at = None
        story.save(update_fields=["concern_hidden_at"])
        public_data_changed(story.place_id, addition=True)  # shown again
    return concern


@transaction.atomic
def stories_forget(*, unconfirmed, addresses, by=None) -> None:
    """Retention (`privacy.retention`): delete stories never confirmed, and erase the address
    (and the duplicate key made from it) of stories published or declined a while ago. `by`
    is None: the rule acts, not a person.

    Not locked: each set is of rows past a date that no request moves back. Not recorded:
    `email_erased_at` says when an address went; deleted stories leave nothing."""
    unconfirmed.delete()
    addresses.update(email="", duplicate_key=None, email_erased_at=timezone.now())


def flag_word_save(*, flag_word, by):
    """A moderator of the whole network adds a flag word or switches one off
    (`stories.flags`): the list flags stories in every place, so a place's moderator reads it
    and cannot change it.

    Not locked: a word is one row, and the last save wins. Not recorded as an event: the
    admin's own log keeps who changed the list."""
    _require(
        permissions.is_network_moderator(by),
        _("Only moderators of the whole network change the flag words."),
    )
    flag_word.word = flag_word.word.strip()
    flag_word.full_clean()
    flag_word.save()
    return flag_word
