"""Admin building blocks: every change made in the admin goes through a service, or none can."""


class ReadOnlyAdminMixin:
    """Moderators can look, not change: the rows are written by services elsewhere.

    Serves inlines too (their has_add_permission also takes the parent object).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ModeratedAdminMixin(ReadOnlyAdminMixin):
    """Read-only forms; changes only through the moderation actions, which call the services.

    The actions ask for the "moderate" permission: the model's change permission.
    """

    def has_moderate_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
