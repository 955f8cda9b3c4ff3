import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from core.emails import deliver_email

SIGNED_IN_AT = "accounts_signed_in_at"


def remember_sign_in(sender, request, user, **kwargs):
    """user_logged_in: when this session last proved who it is."""
    if request is not None:
        request.session[SIGNED_IN_AT] = time.time()


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """For two-factor set-up, a sign-in in the last few minutes counts as giving the
        password again: a new moderator is sent to enrol straight after signing in, and being
        asked again there only gets in the way. Closing an account still always asks."""
        request = allauth_context.request
        signed_in_at = request.session.get(SIGNED_IN_AT) if request is not None else None
        if (
            app == "allauth.mfa"
            and signed_in_at
            and time.time() - signed_in_at < app_settings.REAUTHENTICATION_TIMEOUT
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        """Confirming an address in the browser that signed up also signs the person in: the
        "signed in" message then carries on from "confirmed", as one message."""
        if message_template == "account/messages/logged_in.txt" and getattr(
            request, "_email_just_confirmed", False
        ):
            kwargs["extra_tags"] = f"{kwargs.get('extra_tags', '')} continues".strip()
        if message_template == "account/messages/email_confirmed.txt":
            request._email_just_confirmed = True
        return super().add_message(request, level, message_template, *args, **kwargs)

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
