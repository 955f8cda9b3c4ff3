from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from allauth.account.signals import email_confirmed

        from .signals import check_domains_on_confirmation

        email_confirmed.connect(check_domains_on_confirmation, dispatch_uid="organisations.domains")
