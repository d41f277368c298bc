import simple_history
from modeltranslation.translator import TranslationOptions, register

from backoffice.review_dates import REVIEW_DATE_FIELDS

from .models import Call, EuropeanProgramme, Instrument


@register(Instrument)
class InstrumentTranslationOptions(TranslationOptions):
    fields = (
        "name",
        "tagline",
        "purpose",
        "audience",
        "prerequisites",
        "how_to_apply",
        "evaluation",
        "formalisation",
        "funding_details",
        "call_window",
    )


@register(EuropeanProgramme)
class EuropeanProgrammeTranslationOptions(TranslationOptions):
    fields = ("name", "summary")


@register(Call)
class CallTranslationOptions(TranslationOptions):
    fields = ("title", "summary")


# History after translation, never through a field on the model (see STACK.md).
simple_history.register(
    Instrument, excluded_fields=["search_vector_fr", "search_vector_en", *REVIEW_DATE_FIELDS]
)
simple_history.register(EuropeanProgramme)
simple_history.register(Call)
