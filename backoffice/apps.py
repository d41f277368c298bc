from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    default = True
    name = "backoffice"
    verbose_name = _("Review")


class PortalAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the portal's site (``backoffice.sites``) as ``admin.site``."""

    default = False
    default_site = "backoffice.sites.PortalAdminSite"
