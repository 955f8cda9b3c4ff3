from allauth.account import forms as allauth_forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError

from core.forms import CleanTextMixin

from .models import User


class UserCreationAdminForm(CleanTextMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(CleanTextMixin, UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "name")


class LoginForm(CleanTextMixin, allauth_forms.LoginForm):
    """allauth's sign-in form, with a wrong address or password shown on the email field: the
    error summary links there, and the field is described by the message (GOV.UK pattern),
    rather than a message for the whole form that no field carries."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("login", error)
            return self.cleaned_data
