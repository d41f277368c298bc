from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("Offices and Derci")
    # Public content: caches follow its changes (core.content).
    public_content = True
