from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from backoffice.admin_filters import MissingTextFilter, ReviewedFilter
from backoffice.admin_mixins import (
    ContentImportExportAdmin,
    FastChangeListMixin,
    PortalHistoryAdmin,
)
from backoffice.dashboard import DashboardTiles
from provenance.admin import SourceInline

from .models import DerciMission, Office, Sector
from .resources import OfficeResource


@admin.register(Office)
class OfficeAdmin(
    DashboardTiles,
    FastChangeListMixin,
    ContentImportExportAdmin,
    PortalHistoryAdmin,
    TabbedTranslationAdmin,
):
    resource_classes = [OfficeResource]
    dashboard_position = 3
    list_display = ["name", "kind", "city", "country", "is_open", "opened_on", "closed_on"]
    list_filter = [MissingTextFilter, ReviewedFilter, "kind", "is_open"]
    list_select_related = ["country"]
    search_fields = ["name_fr", "name_en", "city_fr", "city_en", "slug"]
    autocomplete_fields = ["country", "covered_countries"]
    prepopulated_fields = {"slug": ["city_en"]}
    inlines = [SourceInline]

    def export_relations(self, queryset):
        return queryset.select_related("country").prefetch_related("covered_countries")


@admin.register(Sector)
class SectorAdmin(PortalHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "position"]
    search_fields = ["name_fr", "name_en"]
    autocomplete_fields = ["countries"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(DerciMission)
class DerciMissionAdmin(PortalHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["text", "scope", "position"]
    list_filter = ["scope"]
