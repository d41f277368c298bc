"""Every public page, in both languages: paths, language switch, alternates, sitemap, errors
and fallback texts. The number of queries of each page: tests/test_query_bounds.py."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import (
    LabFactory,
    QuoteFactory,
    ThemeFactory,
)
from tests.public_site import public_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """A little of everything the public pages show."""
    return public_site()


PAGES = [
    ("/fr/", "/en/"),
    ("/fr/laboratoires/", "/en/labs/"),
    ("/fr/laboratoires/jrl/", "/en/labs/jrl/"),
    ("/fr/pays/", "/en/countries/"),
    ("/fr/pays/jp/", "/en/countries/jp/"),
    ("/fr/instruments/", "/en/instruments/"),
    ("/fr/instruments/irl/", "/en/instruments/irl/"),
    ("/fr/instruments/irc/", "/en/instruments/irc/"),
    ("/fr/centres/", "/en/centres/"),
    ("/fr/centres/tokyo/", "/en/centres/tokyo/"),
    ("/fr/bureaux/", "/en/offices/"),
    ("/fr/bureaux/tokyo/", "/en/offices/tokyo/"),
    ("/fr/recherche/?q=tokyo", "/en/search/?q=tokyo"),
]


@pytest.mark.parametrize(("french", "english"), PAGES)
def test_every_page_answers_in_both_languages_with_the_right_lang(client, site, french, english):
    for path, language in ((french, "fr"), (english, "en")):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        assert page.count("<h1") == 1


@pytest.mark.parametrize(("french", "english"), PAGES)
def test_each_page_links_its_twin_and_the_switch_keeps_the_query(client, site, french, english):
    if "labs" in english:
        french, english = f"{french}?country=jp&sort=name", f"{english}?country=jp&sort=name"
    french_href, english_href = french.replace("&", "&amp;"), english.replace("&", "&amp;")
    page = client.get(french).content.decode()
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{english_href}">' in page
    assert f'<link rel="alternate" hreflang="fr" href="http://testserver{french_href}">' in page
    assert f'<a href="{english_href}" hreflang="en" lang="en">English</a>' in page
    back = client.get(english).content.decode()
    assert f'<a href="{french_href}" hreflang="fr" lang="fr">Français</a>' in back


def test_the_switch_keeps_every_filter_of_the_labs_list(client, site):
    page = client.get("/fr/laboratoires/?country=jp&theme=robotique&q=robot&page=1").content
    assert b'href="/en/labs/?country=jp&amp;theme=robotique&amp;q=robot&amp;page=1"' in page


def test_root_redirects_to_the_default_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def _locations(xml: bytes) -> list[str]:
    tree = ET.fromstring(xml)
    return [
        element.text for element in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]


def test_the_sitemap_lists_every_page_in_both_languages(client, site):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    pages = set()
    for section in _locations(index.content):
        response = client.get(section.replace("http://testserver", ""))
        assert response.status_code == 200
        pages |= set(_locations(response.content))
        assert b'<xhtml:link rel="alternate" hreflang="en"' in response.content
    for french, english in PAGES:
        if "?" not in french:
            assert f"http://testserver{french}" in pages
            assert f"http://testserver{english}" in pages


def test_404_in_both_languages(client):
    french = client.get("/fr/nulle-part/")
    english = client.get("/en/nowhere/")
    assert french.status_code == english.status_code == 404
    assert "Page introuvable" in french.content.decode()
    assert '<html lang="fr">' in french.content.decode()
    assert "Page not found" in english.content.decode()
    assert (
        '<a href="/en/nulle-part/" hreflang="en" lang="en">English</a>' in french.content.decode()
    )


@pytest.mark.parametrize(("language", "text"), [("fr", "Erreur 500"), ("en", "Error 500")])
def test_500_needs_neither_database_nor_request_context(django_assert_num_queries, language, text):
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert text in page
    assert f'<html lang="{language}">' in page


def test_missing_english_text_shows_the_french_one_marked_french(client, site):
    LabFactory(
        name_fr="Étude des glaciers",
        name_en="",
        slug="glaciers",
        summary_fr="Un résumé en français.",
        summary_en="",
    )
    page = client.get("/en/labs/glaciers/").content.decode()
    # Marked for a screen reader (lang) and said to a sighted reader.
    assert (
        '<h1><span lang="fr">Étude des glaciers</span> <span class="fallback-note">(in French)'
    ) in page
    assert (
        '<div class="lead rich" lang="fr"><p>Un résumé en français.</p></div> '
        '<p class="fallback-note">(in French)</p>'
    ) in page
    assert '<meta name="description" content="Un résumé en français. (in French)">' in page
    listing = client.get("/en/labs/").content.decode()
    assert (
        '<span lang="fr">Étude des glaciers</span> <span class="fallback-note">(in French)</span>'
    ) in listing
    # The French page shows it as is.
    assert "<h1>Étude des glaciers" in client.get("/fr/laboratoires/glaciers/").content.decode()


def test_missing_french_text_shows_the_english_one_marked_english(client, site):
    LabFactory(name_fr="", name_en="Glacier studies", slug="glaciers")
    page = client.get("/fr/laboratoires/glaciers/").content.decode()
    assert (
        '<h1><span lang="en">Glacier studies</span> <span class="fallback-note">(en anglais)'
    ) in page
    assert '<meta name="description" content="Glacier studies (en anglais)">' in page
    english = client.get("/en/labs/glaciers/").content.decode()
    assert "<h1>Glacier studies" in english and "fallback-note" not in english


def test_a_theme_without_english_name_is_marked_french_in_the_filters(client, site):
    ThemeFactory(slug="glaciologie", name_fr="Glaciologie", name_en="").labs.add(site)
    page = client.get("/en/labs/").content.decode()
    assert (
        '<span class="facet__label" lang="fr">Glaciologie</span>'
        ' <span class="fallback-note">(in French)</span>'
    ) in page


def test_unpublished_labs_are_not_shown(client, site):
    LabFactory(name_fr="Brouillon", name_en="Draft", slug="draft", is_published=False)
    assert client.get("/en/labs/draft/").status_code == 404
    assert b"Draft" not in client.get("/en/labs/").content


def test_a_quote_follows_its_labs_publication(client, site):
    Lab = type(site)
    site.quotes.update(is_published=False)
    draft = LabFactory(name_fr="Brouillon", name_en="Draft", slug="draft", is_published=False)
    QuoteFactory(lab=draft, text_fr="Parole d’un brouillon.", author="Ada Draft", position=0)
    QuoteFactory(lab=None, text_fr="Parole sans laboratoire.", author="Zoé Libre", position=1)
    page = client.get("/fr/").content.decode()
    assert "Ada Draft" not in page  # first by position, but its lab is not published
    assert "Parole sans laboratoire." in page  # a quote of no lab needs no publication
    Lab.objects.filter(pk=draft.pk).update(is_published=True)
    page = client.get("/fr/").content.decode()
    assert "Parole d’un brouillon." in page
    assert 'href="/fr/laboratoires/draft/"' in page
    assert "Parole d’un brouillon." in client.get("/fr/laboratoires/draft/").content.decode()


def test_pages_have_a_skip_link_landmarks_and_labelled_search(client, site):
    page = client.get("/fr/laboratoires/").content.decode()
    assert '<a class="skip-link" href="#content">' in page
    assert '<main id="content"' in page
    assert 'role="search"' in page
    for control in re.findall(r'<input[^>]+type="search"[^>]*>', page):
        control_id = re.search(r'id="([^"]+)"', control).group(1)
        assert f'for="{control_id}"' in page
    assert "style=" not in page
    assert "<script>" not in page  # scripts come from files only
