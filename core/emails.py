"""Templated email with a text and an HTML part, sent only after the transaction commits."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def send_templated_email(template_prefix: str, to: list[str], context: dict) -> None:
    """Queue `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` to send on commit.

    A failure to send is logged, never raised: the user's data is already saved.
    """
    if not to:
        return
    context = {"site_url": settings.SITE_URL, **context}

    def send():
        try:
            subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
            message = EmailMultiAlternatives(
                subject=" ".join(subject.splitlines()),
                body=render_to_string(f"{template_prefix}.txt", context),
                to=to,
            )
            message.attach_alternative(
                render_to_string(f"{template_prefix}.html", context), "text/html"
            )
            message.send()
        except Exception:
            logger.exception("Could not send %s to %d recipient(s)", template_prefix, len(to))

    transaction.on_commit(send)
