from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .forms import LabAdminForm
from .models import Country, Institute, KeyFigure, Lab, Partner, Quote, ResearchCenter, Theme


class TranslatedHistoryAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Bilingual fields in tabs, and every change recorded."""


@admin.register(Institute)
class InstituteAdmin(TranslatedHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name_fr", "name_en"]
    filter_horizontal = ["referents"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code"]


@admin.register(Theme)
class ThemeAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Partner)
class PartnerAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name_fr", "name_en", "acronym", "slug"]
    autocomplete_fields = ["country"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["text_fr", "text_en", "author", "author_role_fr", "author_role_en", "is_published"]


@admin.register(Lab)
class LabAdmin(TranslatedHistoryAdmin):
    form = LabAdminForm
    list_display = ["name", "acronym", "instrument", "lead_institute", "start_date", "ends_on"]
    list_filter = ["instrument", "lead_institute", "is_published"]
    list_select_related = ["instrument", "lead_institute"]
    search_fields = ["name_fr", "name_en", "acronym", "slug", "city_fr", "city_en"]
    prepopulated_fields = {"slug": ["acronym"]}
    autocomplete_fields = ["countries", "partners", "themes", "other_institutes"]
    date_hierarchy = "start_date"
    readonly_fields = ["ends_on"]
    inlines = [QuoteInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "instrument", "is_published"]}),
        (
            _("Institutes and partners"),
            {"fields": ["lead_institute", "other_institutes", "countries", "partners", "director"]},
        ),
        (_("Place"), {"fields": ["city", "latitude", "longitude"]}),
        (_("Dates"), {"fields": ["start_date", "end_date", "ends_on"]}),
        (_("Content"), {"fields": ["themes", "summary", "description", "website", "headcount"]}),
    ]


@admin.register(ResearchCenter)
class ResearchCenterAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "university", "country", "is_published"]
    list_filter = ["country__region", "is_published"]
    search_fields = ["name_fr", "name_en", "acronym"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["university", "country", "labs", "themes", "institutes"]


@admin.register(Quote)
class QuoteAdmin(TranslatedHistoryAdmin):
    list_display = ["author", "author_role", "lab", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["author", "text_fr", "text_en"]
    autocomplete_fields = ["lab"]


@admin.register(KeyFigure)
class KeyFigureAdmin(TranslatedHistoryAdmin):
    list_display = ["metric", "year", "value", "unit", "is_approximate"]
    list_filter = ["metric", "year"]
