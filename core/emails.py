"""Email with a text and an HTML part: rendered when the transaction commits, sent by the task
worker, retried with back-off when the mail server fails.

The request never waits for SMTP: an admin action on 40 pledges queues 40 emails and answers.
"""

import contextvars
import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django_tasks import task

from .context_processors import retention_periods
from .siteurl import site_url

logger = logging.getLogger(__name__)

# Seconds before each retry: a minute, five, half an hour, two hours, six hours.
RETRY_DELAYS = [60, 300, 1800, 7200, 21600]


def send_templated_email(template_prefix: str, to: list[str], context: dict) -> None:
    """Queue `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` when the data commits."""
    if not to:
        return
    # The addresses in the email are written as they would be now (in the request's place,
    # say, or the place an email is about), though the email is rendered when the
    # transaction commits: the render runs in a copy of this moment's context, which holds
    # the script prefix and whatever else decides how addresses are written.
    now = contextvars.copy_context()

    def queue():
        subject, body, html = now.run(render_email, template_prefix, context)
        deliver_email.enqueue(to=list(to), subject=subject, body=body, html=html)

    transaction.on_commit(queue)


def render_email(template_prefix: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, HTML) of `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`."""
    context = {"site_url": site_url(), "RETENTION": retention_periods(), **context}
    subject = render_text(f"{template_prefix}_subject.txt", context).strip()
    body = render_text(f"{template_prefix}.txt", context)
    html = render_to_string(f"{template_prefix}.html", context)
    return " ".join(subject.splitlines()), body, html


def send_or_retry(the_task, *, message: dict, attempt: int, again: dict) -> str:
    """Send one email now (`message`: to, subject, body, html and optionally from_email). A
    failure queues `the_task` again with the keyword arguments `again` and the next attempt,
    later; after the last, it raises, so the task fails and stays on record with its error,
    and nothing is lost without a trace. The one retry rule of every email task."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        to=message["to"],
        from_email=message.get("from_email"),
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    try:
        email.send()
    except Exception:
        subject = message["subject"]
        # A backend that cannot run a task later (tests run tasks at once) cannot retry: the
        # failure is recorded on the task's result, as after the last attempt.
        if attempt > len(RETRY_DELAYS) or not the_task.get_backend().supports_defer:
            logger.exception("Gave up sending %r after %d attempt(s)", subject, attempt)
            raise
        delay = RETRY_DELAYS[attempt - 1]
        logger.warning("Could not send %r (attempt %d); retrying in %d s", subject, attempt, delay)
        the_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            **again, attempt=attempt + 1
        )
        return "retry queued"
    return "sent"


@task()
def deliver_email(*, to, subject, body, html=None, from_email=None, attempt=1):
    """Send one email rendered before it was queued (to partners and moderators), retrying on
    failure (`send_or_retry`)."""
    message = {"to": to, "subject": subject, "body": body, "html": html, "from_email": from_email}
    return send_or_retry(deliver_email, message=message, attempt=attempt, again=message)


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: a subject or text body is not HTML."""
    return get_template(template_name).template.render(Context(context, autoescape=False))
