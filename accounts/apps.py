from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_roles(sender, app_config=None, **kwargs):
    # Permissions are created app by app; the roles need those of the content apps and of
    # the back-office, so they are set up once the last of those has had its turn.
    from .roles import ensure_roles, role_app_labels

    order = [config.label for config in apps.get_app_configs()]
    last = max(role_app_labels(), key=order.index)
    if app_config is not None and app_config.label == last:
        ensure_roles()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        post_migrate.connect(_create_roles, dispatch_uid="accounts.create_roles")
