from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form


class CloseAccountForm(Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and cannot be brought back"),
        error_messages={"required": _("Tick the box to confirm that you want to close it")},
    )
