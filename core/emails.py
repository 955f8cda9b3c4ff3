"""Templated email with a text and an HTML part, sent only after the transaction commits."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

from .siteurl import site_url

logger = logging.getLogger(__name__)


def send_templated_email(template_prefix: str, to: list[str], context: dict) -> None:
    """Queue `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` to send on commit.

    A failure to send is logged, never raised: the user's data is already saved.
    """
    if not to:
        return
    context = {"site_url": site_url(), **context}

    def send():
        try:
            subject = render_text(f"{template_prefix}_subject.txt", context).strip()
            message = EmailMultiAlternatives(
                subject=" ".join(subject.splitlines()),
                body=render_text(f"{template_prefix}.txt", context),
                to=to,
            )
            message.attach_alternative(
                render_to_string(f"{template_prefix}.html", context), "text/html"
            )
            message.send()
        except Exception:
            logger.exception("Could not send %s to %d recipient(s)", template_prefix, len(to))

    transaction.on_commit(send)


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: a subject or text body is not HTML."""
    return get_template(template_name).template.render(Context(context, autoescape=False))
