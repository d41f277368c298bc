import pytest

from tests.factories import LabFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def labs():
    japan = LabFactory(name_fr="Laboratoire de robotique", name_en="Robotics laboratory")
    brazil = LabFactory(
        name_fr="Mathématiques à Rio", name_en="Mathematics in Rio", countries=["BR"]
    )
    return japan, brazil


@pytest.mark.parametrize(("path", "lang"), [("/fr/", "fr"), ("/en/", "en")])
def test_home_answers_in_both_languages(client, path, lang):
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()


def test_root_redirects_to_french(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.parametrize(
    ("path", "japan", "brazil"),
    [
        ("/fr/laboratoires/?country=JP", "Laboratoire de robotique", "Mathématiques à Rio"),
        ("/en/labs/?country=JP", "Robotics laboratory", "Mathematics in Rio"),
    ],
)
def test_labs_list_filters_by_country(client, labs, path, japan, brazil):
    page = client.get(path).content.decode()
    assert japan in page
    assert brazil not in page


@pytest.mark.parametrize(
    ("prefix", "name"),
    [("/fr/laboratoires/", "Mathématiques à Rio"), ("/en/labs/", "Mathematics in Rio")],
)
def test_lab_page_in_both_languages(client, labs, prefix, name):
    response = client.get(f"{prefix}{labs[1].slug}/")
    assert response.status_code == 200
    assert name in response.content.decode()
