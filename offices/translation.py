import simple_history
from modeltranslation.translator import TranslationOptions, register

from backoffice.history import PortalHistoricalRecords
from backoffice.review_dates import REVIEW_DATE_FIELDS

from .models import DerciMission, Office, Sector


@register(Office)
class OfficeTranslationOptions(TranslationOptions):
    fields = ("name", "city", "summary", "missions", "address")


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(DerciMission)
class DerciMissionTranslationOptions(TranslationOptions):
    fields = ("text",)


# History after translation, never through a field on the model (see STACK.md).
# The countries an office or sector covers are kept with each version; the search
# documents are derived data, not history.
HISTORY_M2M_FIELDS = {Office: ["covered_countries"], Sector: ["countries"]}
for model in (Office, Sector, DerciMission):
    simple_history.register(
        model,
        records_class=PortalHistoricalRecords,
        m2m_fields=HISTORY_M2M_FIELDS.get(model, []),
        excluded_fields=["search_vector_fr", "search_vector_en", *REVIEW_DATE_FIELDS]
        if model is Office
        else None,
    )
