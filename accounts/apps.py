from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def correct_moderators_group(sender, **kwargs):
    """After the last app's permissions exist, make both moderators' groups exactly right."""
    if sender is list(apps.get_app_configs())[-1]:
        from .moderators import moderators_group, network_moderators_group

        moderators_group()
        network_moderators_group()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .adapter import remember_sign_in

        user_logged_in.connect(remember_sign_in, dispatch_uid="accounts.remember_sign_in")
        post_migrate.connect(correct_moderators_group, dispatch_uid="accounts.moderators_group")
