"""Before this, a moderator named on no place moderated the whole network by default. The
rule now fails closed, so each of them is named a moderator of the network, keeping what
they could do; from now on nobody becomes one without being named."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q


def name_network_moderators(apps, schema_editor):
    accounts = apps.get_app_config("accounts")
    accounts.models_module = True  # create_permissions skips an app without one
    create_permissions(accounts, apps=apps, verbosity=0)
    accounts.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("accounts", "User")
    network = Permission.objects.get(content_type__app_label="accounts", codename="moderate_network")
    group, _created = Group.objects.get_or_create(name="Network moderators")
    group.permissions.add(network)
    holds = Q(
        groups__permissions__codename="moderate",
        groups__permissions__content_type__app_label="accounts",
    ) | Q(
        user_permissions__codename="moderate",
        user_permissions__content_type__app_label="accounts",
    )
    unplaced = (
        User.objects.filter(is_staff=True, is_superuser=False)
        .filter(holds)
        .filter(moderated_places__isnull=True)
        .distinct()
    )
    for user in unplaced:
        user.groups.add(group)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_moderate_network_permission"),
        ("places", "0003_place_moderators"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(name_network_moderators, migrations.RunPython.noop)]
