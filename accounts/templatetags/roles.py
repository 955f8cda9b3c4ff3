from django import template

from accounts.moderators import is_moderator as _is_moderator

register = template.Library()


@register.filter
def is_moderator(user):
    """The one rule (accounts.moderators), for templates: the menu's link to the moderation
    tools, and the way on from the recovery codes."""
    return _is_moderator(user)


@register.filter
def without_placeholders(form):
    """allauth's forms repeat each label as a placeholder ("Email address" under "Email"),
    which GOV.UK advises against: the hint disappears as the person types, and the grey text
    reads as a filled-in value. Taken off the form that one request renders."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
    return form
