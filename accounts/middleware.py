from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .mfa import has_two_factor
from .moderators import is_moderator


class StaffTwoFactorMiddleware:
    """Moderators (the only accounts the admin lets in) must enrol two-factor authentication
    before using it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        user = request.user
        if (
            request.path.startswith(self.admin_prefix)
            and is_moderator(user)
            and not has_two_factor(user)
        ):
            messages.warning(
                request, _("Set up two-factor authentication before you use the moderation tools.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
