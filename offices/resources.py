"""Import and export of offices (django-import-export): both languages' columns."""

from import_export import fields

from backoffice.resources import CodesWidget, CodeWidget, PortalResource
from geography.models import Country

from .models import Office


class OfficeResource(PortalResource):
    country = fields.Field("country", "country", CodeWidget(Country, "code", True))
    covered_countries = fields.Field(
        "covered_countries", "covered_countries", CodesWidget(Country, "code", True)
    )

    class Meta(PortalResource.Meta):
        model = Office
        fields = [
            "slug",
            "kind",
            "name_fr",
            "name_en",
            "city_fr",
            "city_en",
            "country",
            "covered_countries",
            "summary_fr",
            "summary_en",
            "missions_fr",
            "missions_en",
            "address_fr",
            "address_en",
            "email",
            "phone",
            "website",
            "head",
            "latitude",
            "longitude",
            "opened_on",
            "closed_on",
            "is_open",
        ]
        export_order = fields
