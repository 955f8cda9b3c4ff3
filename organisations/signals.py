"""Hooks for the apps above this one, which organisations must not import."""

from django.dispatch import Signal

# Sent inside the transaction that changed an organisation's public profile, with
# `organisation`. The pledges app rewrites the organisation's search text.
profile_changed = Signal()
