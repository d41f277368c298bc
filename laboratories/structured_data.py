"""schema.org descriptions (JSON-LD) of the entry pages: what search engines and link
previews read of a lab or a centre, with its address, parent organisations, partners and
identifiers."""

from django.utils.html import strip_tags

from core.structured_data import CNRS
from core.structured_data import compact as _compact
from geography.regions import country_name


def _partner(partner) -> dict:
    found = {
        "@type": "EducationalOrganization" if partner.kind == "university" else "Organization",
        "name": partner.name,
        "identifier": {"@type": "PropertyValue", "propertyID": "slug", "value": partner.slug},
    }
    if partner.kind == "research":
        found["@type"] = "ResearchOrganization"
    if partner.acronym:
        found["alternateName"] = partner.acronym
    if partner.website:
        found["url"] = partner.website
    return found


def lab_json_ld(lab, absolute) -> dict:
    """``lab`` (with its detail relations) as a ResearchOrganization; ``absolute(path)``
    gives an absolute address."""
    countries = [str(country.code) for country in lab.countries.all()]
    partners = [_partner(partner) for partner in lab.partners.all()]
    address = _compact(
        {
            "@type": "PostalAddress",
            "addressLocality": lab.city,
            "addressCountry": countries[0] if len(countries) == 1 else "",
        }
    )
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "ResearchOrganization",
            "@id": absolute(lab.get_absolute_url()),
            "name": lab.name,
            "alternateName": lab.acronym,
            "url": absolute(lab.get_absolute_url()),
            "sameAs": lab.website,
            "description": strip_tags(lab.summary),
            "identifier": [{"@type": "PropertyValue", "propertyID": "slug", "value": lab.slug}],
            "address": address if len(address) > 1 else None,
            "geo": _compact(
                {
                    "@type": "GeoCoordinates",
                    "latitude": float(lab.latitude) if lab.latitude is not None else None,
                    "longitude": float(lab.longitude) if lab.longitude is not None else None,
                }
            )
            if lab.latitude is not None
            else None,
            "areaServed": [
                {"@type": "Country", "name": country_name(code), "identifier": code}
                for code in countries
            ],
            "foundingDate": lab.start_date.isoformat() if lab.start_date else None,
            "dissolutionDate": lab.ends_on.isoformat()
            if lab.ends_on and getattr(lab, "status", "") == "ended"
            else None,
            "parentOrganization": [CNRS, *partners],
            "knowsAbout": [theme.name for theme in lab.themes.all()],
        }
    )


def centre_json_ld(centre, absolute) -> dict:
    """An International Research Center as an Organization: the CNRS and its university."""
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "ResearchOrganization",
            "@id": absolute(centre.get_absolute_url()),
            "name": centre.name,
            "alternateName": centre.acronym,
            "url": absolute(centre.get_absolute_url()),
            "sameAs": centre.website,
            "description": strip_tags(centre.summary),
            "identifier": [{"@type": "PropertyValue", "propertyID": "slug", "value": centre.slug}],
            "address": {"@type": "PostalAddress", "addressCountry": str(centre.country.code)},
            "parentOrganization": [CNRS, _partner(centre.university)],
            "knowsAbout": [theme.name for theme in centre.themes.all()],
        }
    )
