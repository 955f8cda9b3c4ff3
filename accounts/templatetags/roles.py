from django import template

from accounts.moderators import is_moderator as _is_moderator

register = template.Library()


@register.filter
def is_moderator(user):
    """The one rule (accounts.moderators), for templates: the menu's link to the moderation
    tools, and the way on from the recovery codes."""
    return _is_moderator(user)
