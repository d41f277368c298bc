"""The pages the browser tests open: every public page type in both languages, and the data
they show.

Paths are those of the product design (PORTAL.md); every one of them must answer.
"""

from tests.factories import (
    EuropeanProgrammeFactory,
    InstituteFactory,
    InstrumentFactory,
    KeyFigureFactory,
    LabFactory,
    OfficeFactory,
    PartnerFactory,
    QuoteFactory,
    ResearchCenterFactory,
    ThemeFactory,
)

LAB_SLUG = "cintra"
CENTRE_SLUG = "iglobes"
OFFICE_SLUG = "singapour"
COUNTRY = "sg"
INSTRUMENT = "irl"


# page type: its address in each language (query strings are the same in both).
PUBLIC_PAGES = {
    "home": {"fr": "/fr/", "en": "/en/"},
    "labs": {"fr": "/fr/laboratoires/", "en": "/en/labs/"},
    "labs with filters": {
        "fr": "/fr/laboratoires/?country=SG&instrument=IRL&institute=INSIS",
        "en": "/en/labs/?country=SG&instrument=IRL&institute=INSIS",
    },
    "lab": {"fr": f"/fr/laboratoires/{LAB_SLUG}/", "en": f"/en/labs/{LAB_SLUG}/"},
    "countries": {"fr": "/fr/pays/", "en": "/en/countries/"},
    "country": {"fr": f"/fr/pays/{COUNTRY}/", "en": f"/en/countries/{COUNTRY}/"},
    "instruments": {"fr": "/fr/instruments/", "en": "/en/instruments/"},
    "instrument": {"fr": f"/fr/instruments/{INSTRUMENT}/", "en": f"/en/instruments/{INSTRUMENT}/"},
    "centres": {"fr": "/fr/centres/", "en": "/en/centres/"},
    "centre": {"fr": f"/fr/centres/{CENTRE_SLUG}/", "en": f"/en/centres/{CENTRE_SLUG}/"},
    "offices": {"fr": "/fr/bureaux/", "en": "/en/offices/"},
    "office": {"fr": f"/fr/bureaux/{OFFICE_SLUG}/", "en": f"/en/offices/{OFFICE_SLUG}/"},
    "search": {"fr": "/fr/recherche/?q=universite", "en": "/en/search/?q=pekin"},
    "accessibility statement": {"fr": "/fr/accessibilite/", "en": "/en/accessibility/"},
    "calls": {"fr": "/fr/appels/", "en": "/en/calls/"},
    "share": {"fr": f"/fr/partager/?country={COUNTRY}", "en": f"/en/share/?country={COUNTRY}"},
    "legal notice": {"fr": "/fr/mentions-legales/", "en": "/en/legal-notice/"},
    "personal data": {"fr": "/fr/donnees-personnelles/", "en": "/en/personal-data/"},
    "contact": {"fr": "/fr/contact/", "en": "/en/contact/"},
    "site map": {"fr": "/fr/plan-du-site/", "en": "/en/site-map/"},
}

NOT_FOUND_PAGES = {
    "fr": ["/fr/page-inexistante/", "/fr/laboratoires/inconnu/"],
    "en": ["/en/no-such-page/", "/en/labs/unknown/"],
}


def create_site():
    """One published entry of every kind, linked the way real data is, in both languages."""
    irl = InstrumentFactory(
        code="IRL",
        name_fr="Laboratoire de recherche international",
        name_en="International Research Laboratory",
        purpose_fr="Une structure commune avec un partenaire étranger.",
        purpose_en="A joint structure with a foreign partner.",
    )
    InstrumentFactory(
        code="IRP",
        name_fr="Projet de recherche international",
        name_en="International Research Project",
        max_partner_countries=2,
    )
    insis = InstituteFactory(code="INSIS")
    university = PartnerFactory(
        slug="ntu",
        name_fr="Université technologique de Nanyang",
        name_en="Nanyang Technological University",
        country_id="SG",
    )
    theme = ThemeFactory(slug="photonics", name_fr="Photonique", name_en="Photonics")
    lab = LabFactory(
        slug=LAB_SLUG,
        acronym="CINTRA",
        name_fr="CNRS International – NTU – Thales Research Alliance",
        name_en="CNRS International – NTU – Thales Research Alliance",
        instrument=irl,
        lead_institute=insis,
        countries=["SG"],
        city_fr="Singapour",
        city_en="Singapore",
        latitude="1.34830",
        longitude="103.68310",
        summary_fr="Nanoélectronique et photonique avec l'université NTU et Thales.",
        summary_en="Nanoelectronics and photonics with NTU and Thales.",
        description_fr="<p>Un laboratoire <strong>commun</strong> fondé en 2009.</p>",
        description_en="<p>A <strong>joint</strong> laboratory founded in 2009.</p>",
    )
    lab.partners.add(university)
    lab.themes.add(theme)
    QuoteFactory(lab=lab)
    centre = ResearchCenterFactory(
        slug=CENTRE_SLUG,
        name_fr="iGlobes",
        name_en="iGlobes",
        university=university,
        country_id="SG",
    )
    centre.labs.add(lab)
    centre.institutes.add(insis)
    OfficeFactory(
        slug=OFFICE_SLUG,
        name_fr="Bureau de Singapour",
        name_en="Singapore office",
        city_fr="Singapour",
        city_en="Singapore",
        country_id="SG",
    ).covered_countries.set(["SG", "MY"])
    KeyFigureFactory()
    EuropeanProgrammeFactory()
    return lab
