"""The schema.org description (JSON-LD) of an office's page: an Organization of the CNRS,
with its address, contacts, place and the countries it covers."""

from django.utils.html import strip_tags

from core.structured_data import CNRS, compact
from geography.regions import country_name
from provenance.dates import iso_partial_date


def office_json_ld(office, absolute) -> dict:
    """``office`` (with its detail relations); ``absolute(path)`` gives an absolute address."""
    url = absolute(office.get_absolute_url())
    country = str(office.country.code)
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "@id": url,
            "name": office.name,
            "url": url,
            "sameAs": office.website,
            "description": strip_tags(office.summary),
            "identifier": [{"@type": "PropertyValue", "propertyID": "slug", "value": office.slug}],
            "address": compact(
                {
                    "@type": "PostalAddress",
                    "streetAddress": " ".join(office.address.split()),
                    "addressLocality": office.city,
                    "addressCountry": country,
                }
            ),
            "email": office.email,
            "telephone": office.phone,
            "geo": compact(
                {
                    "@type": "GeoCoordinates",
                    "latitude": float(office.latitude),
                    "longitude": float(office.longitude),
                }
            )
            if office.latitude is not None and office.longitude is not None
            else None,
            "areaServed": [
                {"@type": "Country", "name": country_name(code), "identifier": code}
                for code in (str(c.code) for c in office.covered_countries.all())
            ],
            "foundingDate": iso_partial_date(office.opened_on, office.opened_precision),
            "dissolutionDate": office.closed_on.isoformat()
            if office.closed_on and not office.is_open
            else None,
            "parentOrganization": CNRS,
        }
    )
