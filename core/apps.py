from django.apps import AppConfig
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


def _create_cache_table(sender, app_config=None, using="default", **kwargs):
    # The shared cache is a table of the portal's database when no Redis is configured.
    if app_config is not None and app_config.label == "core":
        call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        from . import content, refresh
        from .sanitize import clean_rich_text_fields
        from .typography import space_french_fields

        post_migrate.connect(content.track_content_tables, dispatch_uid="core.track_content")
        post_migrate.connect(_create_cache_table, dispatch_uid="core.cache_table")
        pre_save.connect(clean_rich_text_fields, dispatch_uid="core.clean_rich_text_fields")
        pre_save.connect(space_french_fields, dispatch_uid="core.space_french_fields")
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(refresh.content_written, dispatch_uid="core.refresh")
        request_started.connect(refresh.request_started, dispatch_uid="core.refresh")
        request_finished.connect(refresh.request_finished, dispatch_uid="core.refresh")
