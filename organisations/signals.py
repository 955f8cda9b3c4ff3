"""Signals: the hook organisations gives the apps above it, which it must not import, and its
receiver for allauth's email confirmation."""

from django.dispatch import Signal

# Sent inside the transaction that changed an organisation's public profile, with
# `organisation`. The pledges app rewrites the organisation's search text.
profile_changed = Signal()


def check_domains_on_confirmation(sender, request, email_address, **kwargs):
    """A newly confirmed address may be the evidence that verifies its organisations."""
    from .models import Organisation
    from .services import organisation_check_email_domain

    for organisation in Organisation.objects.filter(memberships__user=email_address.user):
        organisation_check_email_domain(organisation=organisation, by=email_address.user)
