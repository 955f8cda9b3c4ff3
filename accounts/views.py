"""The admin's way in: the site's own login."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from .moderators import is_moderator


def admin_login(request):
    """The admin signs in through the site's login, which is throttled and asks for 2FA.

    Someone already signed in who is not a moderator is told so: sending them to the login
    page would send them straight back here, for ever.
    """
    if request.user.is_authenticated and not is_moderator(request.user):
        return render(request, "core/not_moderator.html", status=403)
    return redirect_to_login(request.GET.get("next", "/admin/"))
