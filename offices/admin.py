from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import DerciMission, Office, Sector


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "kind", "city", "country", "is_open", "opened_on", "closed_on"]
    list_filter = ["kind", "is_open"]
    search_fields = ["name_fr", "name_en", "city_fr", "city_en", "slug"]
    autocomplete_fields = ["country", "covered_countries"]
    prepopulated_fields = {"slug": ["city_en"]}


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "position"]
    search_fields = ["name_fr", "name_en"]
    autocomplete_fields = ["countries"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(DerciMission)
class DerciMissionAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["text", "scope", "position"]
    list_filter = ["scope"]
