"""The accessibility statement, in both languages, linked from every page's footer."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "lang", "title", "status"),
    [
        ("/fr/accessibilite/", "fr", "Déclaration d’accessibilité", "non conforme"),
        ("/en/accessibility/", "en", "Accessibility statement", "not compliant"),
    ],
)
def test_statement_in_both_languages(client, path, lang, title, status):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert status in html
    assert "Défenseur des droits" in html  # the recourse the law requires


def test_contact_address_comes_from_the_settings(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "accessibilite@example.org"
    html = client.get("/fr/accessibilite/").content.decode()
    assert 'href="mailto:accessibilite@example.org"' in html


@pytest.mark.parametrize(
    ("path", "link", "text"),
    [
        ("/fr/", "/fr/accessibilite/", "Accessibilité\u202f: non conforme"),
        ("/en/labs/", "/en/accessibility/", "Accessibility: not compliant"),
        ("/fr/page-inexistante/", "/fr/accessibilite/", "Accessibilité\u202f: non conforme"),
    ],
)
def test_the_footer_links_the_statement(client, path, link, text):
    html = client.get(path).content.decode()
    footer = html[html.index("<footer") : html.index("</footer>")]
    assert f'<a href="{link}">{text}</a>' in footer
