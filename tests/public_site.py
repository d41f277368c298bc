"""A little of everything the public pages show, and hundreds more entries of each kind."""

import datetime

from laboratories.models import KeyFigure
from tests.factories import (
    DerciMissionFactory,
    EuropeanProgrammeFactory,
    InstituteFactory,
    InstrumentFactory,
    KeyFigureFactory,
    LabFactory,
    OfficeFactory,
    PartnerFactory,
    QuoteFactory,
    ResearchCenterFactory,
    SectorFactory,
    ThemeFactory,
    bulk_labs,
)


def public_site():
    """A little of everything the public pages show; its lab (slug "jrl")."""
    irl = InstrumentFactory(code="IRL", name_fr="Laboratoire international", name_en="Intl lab")
    InstrumentFactory(code="IRC", name_fr="Centre international", name_en="Intl centre")
    InstrumentFactory(
        code="IEA",
        name_fr="Action émergente",
        name_en="Emerging action",
        duration_years=2,
        funding_min=None,
        funding_max=14_000,
        call_opens_month=6,
        call_closes_month=9,
    )
    theme = ThemeFactory(slug="robotique", name_fr="Robotique", name_en="Robotics")
    lab = LabFactory(
        name_fr="Laboratoire de robotique",
        name_en="Robotics laboratory",
        slug="jrl",
        instrument=irl,
        lead_institute=InstituteFactory(),
        latitude="36.08",
        longitude="140.08",
        countries=["JP"],
    )
    lab.themes.add(theme)
    QuoteFactory(lab=lab)
    university = PartnerFactory(name_fr="Université de Tokyo", name_en="University of Tokyo")
    center = ResearchCenterFactory(
        name_fr="Centre de Tokyo", name_en="Tokyo centre", slug="tokyo", university=university
    )
    center.labs.add(lab)
    OfficeFactory(
        name_fr="Bureau de Tokyo",
        name_en="Tokyo office",
        slug="tokyo",
        covered_countries=["JP", "KR"],
    )
    OfficeFactory(
        name_fr="Bureau d'Ottawa",
        name_en="Ottawa office",
        slug="ottawa",
        country_id="CA",
        is_open=False,
        opened_on=datetime.date(2000, 1, 1),
        closed_on=datetime.date(2015, 6, 30),
    )
    SectorFactory(name_fr="Asie", name_en="Asia", countries=["JP"])
    DerciMissionFactory()
    KeyFigureFactory(metric=KeyFigure.Metric.IRL_COUNT, year=2019, value=80)
    KeyFigureFactory(metric=KeyFigure.Metric.IRL_COUNT, year=2016, value=36)
    EuropeanProgrammeFactory()
    return lab


def grow_public_site(site):
    """Hundreds more entries of every kind the pages list."""
    theme = site.themes.first()
    labs = bulk_labs(300, countries=("JP", "KR"), themes=[theme], instrument=site.instrument)
    for lab in labs[:30]:
        site.partners.add(PartnerFactory())
        site.quotes.create(text_fr="Citation", text_en="Quote", author=f"Person {lab.pk}")
    center = site.research_centers.first()
    center.labs.add(*labs)
    for n in range(30):
        ResearchCenterFactory(slug=f"centre-more-{n}").themes.add(theme)
        OfficeFactory(slug=f"office-more-{n}", covered_countries=["JP", "FR"])
    SectorFactory(countries=["JP", "KR", "CN"])
