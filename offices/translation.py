import simple_history
from modeltranslation.translator import TranslationOptions, register

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
simple_history.register(Office, excluded_fields=["search_vector_fr", "search_vector_en"])
for model in (Sector, DerciMission):
    simple_history.register(model)
