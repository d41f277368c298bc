from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from backoffice.admin_filters import MissingTextFilter, ReviewedFilter
from backoffice.admin_mixins import PortalHistoryAdmin
from backoffice.dashboard import DashboardTiles
from provenance.admin import SourceInline

from .models import Call, EuropeanProgramme, Instrument


@admin.register(Instrument)
class InstrumentAdmin(DashboardTiles, PortalHistoryAdmin, TabbedTranslationAdmin):
    dashboard_position = 4
    list_display = ["code", "name", "duration_years", "funding_min", "funding_max"]
    list_filter = [MissingTextFilter, ReviewedFilter]
    search_fields = ["code", "name_fr", "name_en"]
    inlines = [SourceInline]


@admin.register(EuropeanProgramme)
class EuropeanProgrammeAdmin(PortalHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["acronym", "name", "start_year", "end_year", "coordinated_by_cnrs"]
    list_filter = [MissingTextFilter]
    search_fields = ["acronym", "name_fr", "name_en"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(Call)
class CallAdmin(PortalHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "instrument", "recurrence", "opens_month", "closes_month", "opens_on"]
    list_filter = [MissingTextFilter, "instrument", "recurrence"]
    list_select_related = ["instrument"]
    search_fields = ["slug", "title_fr", "title_en"]
    filter_horizontal = ["countries"]
    readonly_fields = ["targeted_institutes"]

    @admin.display(description=_("institutes it targets"))
    def targeted_institutes(self, call):
        """Chosen on each institute's page (Institute.calls): the institutes sit above."""
        names = [str(institute) for institute in call.institutes.all()] if call.pk else []
        return ", ".join(names) or _("None. Institutes are chosen on each institute's page.")
