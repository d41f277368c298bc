from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


def _create_roles(sender, app_config=None, **kwargs):
    # Permissions are created app by app; the roles need those of the content apps,
    # so they are set up once the last content app has had its turn.
    from .roles import CONTENT_APPS, ensure_roles

    if app_config is not None and app_config.label == CONTENT_APPS[-1]:
        ensure_roles()


class PortalConfig(AppConfig):
    name = "cnrs_intl"
    verbose_name = _("Accounts")

    def ready(self):
        from .sanitize import clean_rich_text_fields

        post_migrate.connect(_create_roles)
        pre_save.connect(clean_rich_text_fields, dispatch_uid="cnrs_intl.clean_rich_text_fields")
