from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "instruments"
    verbose_name = _("Cooperation instruments")
    # Public content: caches follow its changes (core.content).
    public_content = True
