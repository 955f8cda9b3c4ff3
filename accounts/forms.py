from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

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
