from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaboratoriesConfig(AppConfig):
    name = "laboratories"
    verbose_name = _("Laboratories and centres")
    # Public content: caches follow its changes (core.content).
    public_content = True
