"""Import and export of labs and centres (django-import-export): both languages' columns."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from backoffice.resources import CodesWidget, CodeWidget, PortalResource
from instruments.models import Instrument

from .models import Country, Institute, Lab, Partner, ResearchCenter, Theme


class LabResource(PortalResource):
    instrument = fields.Field("instrument", "instrument", CodeWidget(Instrument, "code", True))
    lead_institute = fields.Field(
        "lead_institute", "lead_institute", CodeWidget(Institute, "code", True)
    )
    other_institutes = fields.Field(
        "other_institutes", "other_institutes", CodesWidget(Institute, "code", True)
    )
    countries = fields.Field("countries", "countries", CodesWidget(Country, "code", True))
    partners = fields.Field("partners", "partners", CodesWidget(Partner, "slug"))
    themes = fields.Field("themes", "themes", CodesWidget(Theme, "slug"))

    class Meta(PortalResource.Meta):
        model = Lab
        fields = [
            "slug",
            "acronym",
            "name_fr",
            "name_en",
            "instrument",
            "lead_institute",
            "other_institutes",
            "countries",
            "city_fr",
            "city_en",
            "latitude",
            "longitude",
            "partners",
            "director",
            "start_date",
            "end_date",
            "themes",
            "summary_fr",
            "summary_en",
            "description_fr",
            "description_en",
            "website",
            "headcount",
            "is_published",
        ]
        export_order = fields

    def check_entry(self, instance, related, errors):
        """The instrument's partner-country rule, as the admin form applies it."""
        if "instrument" in errors or "countries" in errors or instance.instrument_id is None:
            return
        if "countries" in related:
            count = len(related["countries"])
        elif instance.pk:
            count = instance.countries.count()
        else:
            count = 0
        if count == 0:
            errors["countries"] = ValidationError(_("Choose the foreign partner countries."))
            return
        message = instance.instrument.partner_countries_error(count)
        if message:
            errors["countries"] = ValidationError(message)


class ResearchCenterResource(PortalResource):
    university = fields.Field("university", "university", CodeWidget(Partner, "slug"))
    country = fields.Field("country", "country", CodeWidget(Country, "code", True))
    institutes = fields.Field("institutes", "institutes", CodesWidget(Institute, "code", True))
    themes = fields.Field("themes", "themes", CodesWidget(Theme, "slug"))
    labs = fields.Field("labs", "labs", CodesWidget(Lab, "slug"))

    class Meta(PortalResource.Meta):
        model = ResearchCenter
        fields = [
            "slug",
            "acronym",
            "name_fr",
            "name_en",
            "university",
            "country",
            "institutes",
            "themes",
            "labs",
            "other_structures_fr",
            "other_structures_en",
            "is_first",
            "summary_fr",
            "summary_en",
            "description_fr",
            "description_en",
            "website",
            "is_published",
        ]
        export_order = fields
