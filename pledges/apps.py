from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Pledges and progress"

    def ready(self):
        from organisations.signals import profile_changed

        from .search import on_profile_changed

        profile_changed.connect(on_profile_changed, dispatch_uid="pledges.search")
