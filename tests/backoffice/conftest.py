import pytest

from tests.factories import InstituteFactory, LabFactory, ResearchCenterFactory


@pytest.fixture
def insis(referent_user):
    return referent_user.referent_institutes.get(code="INSIS")


@pytest.fixture
def inc(db):
    return InstituteFactory(
        code="INC", name_fr="Institut de chimie", name_en="Institute of Chemistry"
    )


@pytest.fixture
def own_lab(insis):
    return LabFactory(
        name_fr="Robotique à Tokyo",
        name_en="Robotics in Tokyo",
        slug="robotics-tokyo",
        acronym="ROBOT",
        lead_institute=insis,
    )


@pytest.fixture
def other_lab(inc):
    return LabFactory(
        name_fr="Chimie à Kyoto",
        name_en="Chemistry in Kyoto",
        slug="chemistry-kyoto",
        acronym="CHEMK",
        lead_institute=inc,
    )


@pytest.fixture
def own_center(insis):
    center = ResearchCenterFactory(name_fr="Centre ingénierie", name_en="Engineering centre")
    center.institutes.add(insis)
    return center


@pytest.fixture
def other_center(inc):
    center = ResearchCenterFactory(name_fr="Centre chimie", name_en="Chemistry centre")
    center.institutes.add(inc)
    return center


@pytest.fixture
def referent_client(client, referent_user):
    client.force_login(referent_user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
