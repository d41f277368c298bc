import simple_history
from modeltranslation.translator import TranslationOptions, register

from backoffice.history import PortalHistoricalRecords
from backoffice.review_dates import REVIEW_DATE_FIELDS

from .models import Fact, Institute, KeyFigure, Lab, Partner, Quote, ResearchCenter, Theme


@register(Institute)
class InstituteTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Partner)
class PartnerTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Lab)
class LabTranslationOptions(TranslationOptions):
    fields = ("name", "city", "summary", "description")


@register(ResearchCenter)
class ResearchCenterTranslationOptions(TranslationOptions):
    fields = ("name", "other_structures", "summary", "description")


@register(Quote)
class QuoteTranslationOptions(TranslationOptions):
    fields = ("text", "author_role")


@register(Fact)
class FactTranslationOptions(TranslationOptions):
    fields = ("text", "speaker_role")


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("source",)


# History after translation, never through a field on the model (see STACK.md).
# The relations people edit are kept with each version, so a version can be brought back.
# The search documents are derived data, rebuilt by search.documents: not history.
SEARCH_FIELDS = ["search_vector_fr", "search_vector_en"]
SORT_FIELDS = ["sort_name_fr", "sort_name_en"]  # computed by PostgreSQL from the names
# Copied from the related lists by search.documents, like the documents.
FACT_FIELDS = [
    "country_codes",
    "region_codes",
    "institute_ids",
    "theme_ids",
    "partner_ids",
    "has_company_partner",
    "country_sort_fr",
    "country_sort_en",
]
HISTORY_M2M_FIELDS = {
    Lab: ["countries", "other_institutes", "partners", "themes"],
    ResearchCenter: ["institutes", "themes", "labs"],
    Fact: ["countries"],
}
for model in (Institute, Theme, Partner, Lab, ResearchCenter, Quote, KeyFigure, Fact):
    simple_history.register(
        model,
        records_class=PortalHistoricalRecords,
        m2m_fields=HISTORY_M2M_FIELDS.get(model, []),
        excluded_fields=SEARCH_FIELDS
        + REVIEW_DATE_FIELDS
        + (SORT_FIELDS + FACT_FIELDS if model is Lab else [])
        if model in (Lab, ResearchCenter)
        else None,
    )
