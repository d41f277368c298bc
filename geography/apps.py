from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeographyConfig(AppConfig):
    name = "geography"
    verbose_name = _("Geography")
    # Countries and their regions are shown on public pages: caches follow their changes.
    public_content = True
