from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """The moderators' tools: the admin and its queue, decisions and bulk actions, reminders
    and the daily digest, and the paper signatories' import. Its records (concerns,
    reminders sent, digests, visits) are models of the pledges app, which they describe."""

    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from . import (
            concern_admin,  # noqa: F401  (registers concerns with the admin)
            place_admin,  # noqa: F401  (registers places with the admin)
            story_admin,  # noqa: F401  (registers residents' stories with the admin)
        )
