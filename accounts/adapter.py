from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from core.emails import deliver_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Account emails (verification, reset) go through the task worker like every other
        email, so a slow or failing mail server never holds up or breaks the page."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        deliver_email.enqueue(
            to=list(message.to),
            subject=message.subject,
            body=message.body,
            html=html,
            from_email=message.from_email,
        )
