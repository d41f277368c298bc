"""Titles that pair a name with its acronym never repeat it, and lists of themes follow the
alphabet of the page's language."""

import re

import pytest

from core.text import distinct_acronym, name_key
from tests.factories import (
    EuropeanProgrammeFactory,
    LabFactory,
    ResearchCenterFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "acronym", "shown"),
    [
        ("Tascmar", "Tascmar", ""),
        ("Tascmar", "TASCMAR", ""),
        ("BMC²", "BMC2", ""),
        ("Écologie marine", "ECOLOGIE-MARINE", ""),
        ("European Research Council", "ERC", "ERC"),
        ("Robotics laboratory", "", ""),
    ],
)
def test_an_acronym_is_shown_only_when_it_says_something_the_name_does_not(name, acronym, shown):
    assert distinct_acronym(name, acronym) == shown


def test_a_programme_named_by_its_acronym_is_not_titled_twice(client):
    EuropeanProgrammeFactory(acronym="Tascmar", name_fr="Tascmar", name_en="Tascmar")
    EuropeanProgrammeFactory(
        acronym="ERC",
        name_fr="Conseil européen de la recherche",
        name_en="European Research Council",
    )
    page = client.get("/en/instruments/").content.decode()
    titles = [
        re.sub(r"<[^>]+>", "", title).strip()
        for title in re.findall(r'<h3 class="entry__title">(.*?)</h3>', page)
    ]
    assert "Tascmar" in titles
    assert "ERC – European Research Council" in titles
    assert "Tascmar – Tascmar" not in page


def test_a_lab_named_by_its_acronym_is_not_titled_twice(client):
    LabFactory(slug="bmc2", acronym="BMC²", name_fr="BMC²", name_en="BMC²")
    for path in ("/en/labs/bmc2/", "/en/labs/"):
        page = client.get(path).content.decode()
        assert "BMC²" in page
        assert "(BMC²)" not in page, path


THEMES = [  # slug, French, English: the orders differ, and É is not after Z in French
    ("health", "Santé", "Health"),
    ("energy", "Énergie", "Energy"),
    ("physics", "Physique", "Physics"),
    ("oceans", "océans", "oceans"),
]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/fr/centres/", ["Énergie", "océans", "Physique", "Santé"]),
        ("/en/centres/", ["Energy", "Health", "oceans", "Physics"]),
    ],
)
def test_themes_on_the_centres_list_follow_the_alphabet_of_the_page(client, path, expected):
    centre = ResearchCenterFactory()
    centre.themes.set(ThemeFactory(slug=s, name_fr=fr, name_en=en) for s, fr, en in THEMES)
    page = client.get(path).content.decode()
    tags = re.findall(r'<a class="tag" href="[^"]*">([^<]*)</a>', page)
    assert tags == expected


def test_the_name_key_sets_accents_case_and_ligatures_aside():
    names = ["Zoologie", "œnologie", "Énergie", "ecologie", "Biologie"]
    assert sorted(names, key=name_key) == [
        "Biologie",
        "ecologie",
        "Énergie",
        "œnologie",
        "Zoologie",
    ]
