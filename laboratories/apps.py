from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaboratoriesConfig(AppConfig):
    name = "laboratories"
    verbose_name = _("Laboratories and centres")
    # Public content: caches follow its changes (core.content).
    public_content = True

    def ready(self):
        from core.refresh import after_content_commit

        from .filters import refresh_unfiltered_counts

        after_content_commit(refresh_unfiltered_counts)
