"""Embeds: the labs of a country or an institute, for another site's iframe; only they may
be framed, they set no cookie and are cached; the page that gives the snippet."""

import dataclasses
from unittest import mock

import pytest

from core import content
from tests.factories import InstituteFactory, LabFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def labs():
    insis = InstituteFactory(code="INSIS")
    LabFactory(
        name_fr="Robotique à Tokyo",
        name_en="Robotics in Tokyo",
        slug="jrl",
        countries=["JP"],
        lead_institute=insis,
    )
    LabFactory(
        name_fr="Maths à Rio",
        slug="impa",
        countries=["BR"],
        lead_institute=InstituteFactory(code="INSMI"),
    )
    LabFactory(name_fr="Caché", slug="hidden", countries=["JP"], is_published=False)


def test_an_embed_lists_the_countrys_labs_linking_back_and_may_be_framed(client, labs):
    response = client.get("/embed/en/country/jp/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Robotics in Tokyo" in page and "Maths" not in page and "Caché" not in page
    assert 'href="http://testserver/en/labs/jrl/"' in page
    assert 'href="http://testserver/en/labs/?country=jp"' in page
    assert '<html lang="en">' in page
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_an_embed_in_french_for_an_institute(client, labs):
    page = client.get("/embed/fr/institute/insis/").content.decode()
    assert "Robotique à Tokyo" in page and "Maths" not in page
    assert 'href="http://testserver/fr/laboratoires/jrl/"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/embed/de/country/jp/",
        "/embed/en/region/jp/",
        "/embed/en/country/zz/",
        "/embed/en/institute/nope/",
        "/embed/en/country/%00/",
    ],
)
def test_an_unknown_embed_is_404(client, labs, path):
    assert client.get(path).status_code == 404


def test_every_other_page_refuses_to_be_framed(client, labs):
    for path in ("/en/", "/en/labs/", "/en/share/", "/api/v1/labs/"):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_an_embed_is_kept_until_the_content_changes(client, labs, django_assert_max_num_queries):
    # Inside the test's transaction the version is never settled: say it is.
    settled = dataclasses.replace(content.read(), settled=True)
    with mock.patch("pages.embeds.content.read", return_value=settled):
        client.get("/embed/en/country/jp/")
        with django_assert_max_num_queries(3):
            assert "Robotics in Tokyo" in client.get("/embed/en/country/jp/").content.decode()


def test_the_share_page_gives_the_snippet_to_copy(client, labs):
    page = client.get("/en/share/?country=jp").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/embed/en/country/jp/&quot;" in page
    french = client.get("/fr/partager/?institute=INSIS").content.decode()
    assert "http://testserver/embed/fr/institute/insis/" in french
    refused = client.get("/en/share/?country=atlantis")
    assert refused.status_code == 200
    assert "atlantis" in refused.content.decode()
