from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from accounts.roles import edits_need_review, referent_institute_ids
from backoffice.admin_filters import MissingTextFilter, ReviewedFilter
from backoffice.admin_mixins import (
    ContentImportExportAdmin,
    FastChangeListMixin,
    PortalHistoryAdmin,
    ScopedReviewedAdmin,
)
from backoffice.dashboard import DashboardCount, DashboardTiles
from provenance.admin import SourceInline

from .admin_filters import LifecycleFilter, ended_q, ending_soon_q
from .forms import LabAdminForm
from .models import Fact, Institute, KeyFigure, Lab, Partner, Quote, ResearchCenter, Theme
from .resources import LabResource, ResearchCenterResource


class TranslatedHistoryAdmin(PortalHistoryAdmin, TabbedTranslationAdmin):
    """Bilingual fields in tabs, and every change recorded."""


def code_and_name(entry):
    """A column's short form of an instrument or an institute: its code, its name on hover
    (the full names kept the lab list wider than a 1366-pixel screen)."""
    return format_html('<abbr title="{}">{}</abbr>', entry.name, entry.code) if entry else None


@admin.register(Institute)
class InstituteAdmin(TranslatedHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name_fr", "name_en"]
    filter_horizontal = ["referents", "calls"]

    def get_readonly_fields(self, request, obj=None):
        # Who is a referent is a matter of user rights: superusers (or add_user) decide.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("referents")
        return fields


@admin.register(Theme)
class ThemeAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Partner)
class PartnerAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    list_select_related = ["country"]
    search_fields = ["name_fr", "name_en", "acronym", "slug"]
    autocomplete_fields = ["country"]
    inlines = [SourceInline]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["text_fr", "text_en", "author", "author_role_fr", "author_role_en", "is_published"]


@admin.register(Lab)
class LabAdmin(
    DashboardTiles,
    FastChangeListMixin,
    ScopedReviewedAdmin,
    ContentImportExportAdmin,
    PortalHistoryAdmin,
    TabbedTranslationAdmin,
):
    form = LabAdminForm
    dashboard_position = 1
    resource_classes = [LabResource]
    list_display = ["name", "acronym", "instrument_code", "institute_code", "start_date", "ends_on"]
    list_filter = [
        MissingTextFilter,
        ReviewedFilter,
        LifecycleFilter,
        "instrument",
        "lead_institute",
        "is_published",
    ]
    referent_list_filter = [
        MissingTextFilter,
        ReviewedFilter,
        LifecycleFilter,
        "instrument",
        "is_published",
    ]
    list_select_related = ["instrument", "lead_institute"]
    # Fast with 100,000 labs: the newest first (the primary key index, where sorting by name
    # reads the whole table; a click on a column header still sorts by it), the unfiltered
    # count from the statistics, no second count.
    ordering = ["-pk"]
    search_fields = ["name_fr", "name_en", "acronym", "slug", "city_fr", "city_en"]
    prepopulated_fields = {"slug": ["acronym"]}
    autocomplete_fields = ["countries", "partners", "themes", "other_institutes", "predecessor"]
    readonly_fields = ["ends_on"]
    inlines = [QuoteInline, SourceInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "instrument", "is_published"]}),
        (
            _("Institutes and partners"),
            {"fields": ["lead_institute", "other_institutes", "countries", "partners", "director"]},
        ),
        (_("Place"), {"fields": ["city", "latitude", "longitude"]}),
        (
            _("Dates"),
            {
                "fields": [
                    ("created_on", "created_precision"),
                    "start_date",
                    ("end_date", "end_precision"),
                    "ends_on",
                ]
            },
        ),
        (
            _("Former structure"),
            {
                "fields": [
                    "predecessor",
                    "predecessor_instrument",
                    "predecessor_name",
                    "predecessor_acronym",
                ]
            },
        ),
        (
            _("Contact"),
            {"fields": ["website", "contact_email", "contact_phone", "contact_address"]},
        ),
        (_("Content"), {"fields": ["themes", "summary", "description", "headcount"]}),
    ]

    @admin.display(description=_("instrument"), ordering="instrument__code")
    def instrument_code(self, lab):
        return code_and_name(lab.instrument)

    @admin.display(description=_("lead institute"), ordering="lead_institute__code")
    def institute_code(self, lab):
        return code_and_name(lab.lead_institute)

    def dashboard_counts(self):
        return [
            DashboardCount(_("Ends within 12 months"), ending_soon_q(), "lifecycle=ending"),
            DashboardCount(_("Ended"), ended_q(), "lifecycle=ended"),
        ]

    def scope_queryset(self, queryset, institute_ids):
        return queryset.for_institutes(institute_ids)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A referent cannot move a lab to an institute that is not theirs.
        if db_field.name == "lead_institute" and edits_need_review(request.user):
            kwargs["queryset"] = Institute.objects.filter(
                pk__in=referent_institute_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def export_relations(self, queryset):
        return queryset.select_related("instrument", "lead_institute").prefetch_related(
            "other_institutes", "countries", "partners", "themes"
        )


@admin.register(ResearchCenter)
class ResearchCenterAdmin(
    DashboardTiles,
    FastChangeListMixin,
    ScopedReviewedAdmin,
    ContentImportExportAdmin,
    PortalHistoryAdmin,
    TabbedTranslationAdmin,
):
    resource_classes = [ResearchCenterResource]
    dashboard_position = 2
    list_display = ["name", "university", "country", "is_published"]
    # By world region: a filter on the country itself cannot link its choices (their key is
    # a django-countries object).
    list_filter = [MissingTextFilter, ReviewedFilter, "country__region", "is_published"]
    referent_list_filter = [MissingTextFilter, ReviewedFilter, "is_published"]
    list_select_related = ["university", "country"]
    search_fields = ["name_fr", "name_en", "acronym"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["university", "country", "labs", "themes", "institutes"]
    # A referent cannot take a centre away from their institutes, nor tie it to labs they
    # do not follow.
    referent_readonly_fields = ["institutes", "labs", "is_first"]
    inlines = [SourceInline]

    def scope_queryset(self, queryset, institute_ids):
        return queryset.for_institutes(institute_ids)

    def export_relations(self, queryset):
        return queryset.select_related("university", "country").prefetch_related(
            "institutes", "themes", "labs"
        )


@admin.register(Quote)
class QuoteAdmin(TranslatedHistoryAdmin):
    list_display = ["author", "author_role", "lab", "is_published"]
    list_filter = ["is_published"]
    list_select_related = ["lab"]
    search_fields = ["author", "text_fr", "text_en"]
    autocomplete_fields = ["lab"]


@admin.register(KeyFigure)
class KeyFigureAdmin(TranslatedHistoryAdmin):
    list_display = ["metric", "year", "value", "unit", "is_approximate"]
    list_filter = ["metric", "year"]
    inlines = [SourceInline]


@admin.register(Fact)
class FactAdmin(TranslatedHistoryAdmin):
    list_display = ["key", "place", "group", "position", "speaker", "is_published"]
    list_filter = ["place", "is_published"]
    search_fields = ["key", "text_fr", "text_en", "speaker"]
    autocomplete_fields = ["countries"]
    inlines = [SourceInline]
