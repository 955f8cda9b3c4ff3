from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Pledges and progress"

    def ready(self):
        from core.versions import place_changed
        from organisations.signals import profile_changed

        from .search import on_profile_changed
        from .stats import count_place_figures

        profile_changed.connect(on_profile_changed, dispatch_uid="pledges.search")
        place_changed.connect(count_place_figures, dispatch_uid="pledges.figures")
