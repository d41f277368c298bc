"""What every schema.org description (JSON-LD) of the portal's entry pages shares: the CNRS
as the parent organisation, and leaving out what is not known."""

CNRS = {
    "@type": "ResearchOrganization",
    "name": "Centre national de la recherche scientifique",
    "alternateName": "CNRS",
    "url": "https://www.cnrs.fr/",
}


def compact(data: dict) -> dict:
    """``data`` without its empty values (a property not known is left out, not null)."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
