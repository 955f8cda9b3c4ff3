"""Email to a resident, rendered and sent by the task worker from the story's id alone: the
resident's address and the story's token are read (the token made) at sending, so neither is
ever in a task's arguments or result, nor in a backup of them."""

from django_tasks import task

from core.emails import render_email, send_or_retry
from places.addresses import addresses_in

from .models import Story

CONFIRM = "stories/email/confirm"
# What a resident is sent, by template: the confirmation carries the story's token.
RESIDENT_EMAILS = {CONFIRM, "stories/email/published", "stories/email/declined"}


@task()
def email_resident(*, story_id: int, template: str, attempt: int = 1) -> str:
    """Send the resident of this story one of `RESIDENT_EMAILS`, in the story's place. A
    story withdrawn, or whose address was erased, since it was queued is sent nothing."""
    if template not in RESIDENT_EMAILS:
        raise ValueError(f"Not an email to a resident: {template}")
    story = Story.objects.select_related("place", "organisation").filter(pk=story_id).first()
    if story is None or not story.email:
        return "nobody to send to"
    context = {"story": story, "place": story.place}
    if template == CONFIRM:
        from .services import story_token_issue  # the services queue this task

        context["token"] = story_token_issue(story=story)
    with addresses_in(story.place_id):
        subject, body, html = render_email(template, context)
    return send_or_retry(
        email_resident,
        message={"to": [story.email], "subject": subject, "body": body, "html": html},
        attempt=attempt,
        again={"story_id": story_id, "template": template},
    )
