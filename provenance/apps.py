from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvenanceConfig(AppConfig):
    name = "provenance"
    verbose_name = _("Sources")
    # Sources are shown on public pages: caches follow their changes (core.content).
    public_content = True
