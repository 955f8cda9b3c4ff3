from django.contrib.admin.apps import AdminConfig


class ModerationAdminConfig(AdminConfig):
    """Django's admin, with the moderators' queue as its front page."""

    default_site = "moderation.admin_site.ModerationSite"
