import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Institute, KeyFigure, Lab, Partner, Quote, ResearchCenter, Theme


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


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("source",)


# History after translation, never through a field on the model (see STACK.md).
for model in (Institute, Theme, Partner, Lab, ResearchCenter, Quote, KeyFigure):
    simple_history.register(model)
