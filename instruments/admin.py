from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import EuropeanProgramme, Instrument


@admin.register(Instrument)
class InstrumentAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["code", "name", "duration_years", "funding_min", "funding_max"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(EuropeanProgramme)
class EuropeanProgrammeAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["acronym", "name", "start_year", "end_year", "coordinated_by_cnrs"]
    search_fields = ["acronym", "name_fr", "name_en"]
    prepopulated_fields = {"slug": ["acronym"]}
