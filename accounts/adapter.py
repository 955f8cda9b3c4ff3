import logging

from allauth.account.adapter import DefaultAccountAdapter

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Log a failed account email instead of showing a server error.

        The account is already saved; the person can ask for the email again.
        """
        try:
            super().send_mail(template_prefix, email, context)
        except Exception:
            logger.exception("Could not send %s", template_prefix)
