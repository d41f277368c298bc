"""Every page type, in both languages: accessible (axe-core, WCAG 2.1 A and AA), served
entirely by the portal (no request to another host), within its Content-Security-Policy,
and linked to the accessibility statement from its footer.

One test per language opens every page type in turn, each in a subtest (a browser tab and
test data are set up once, not per page).
"""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.pages import NOT_FOUND_PAGES, PUBLIC_PAGES, create_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOCALES = {"fr": "fr-FR", "en": "en-GB"}


@pytest.fixture
def site(transactional_db):
    return create_site()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_public_page_type(open_tab, site, subtests, language):
    tab = open_tab(LOCALES[language])
    statement = PUBLIC_PAGES["accessibility statement"][language]
    for page_type, paths in PUBLIC_PAGES.items():
        path = paths[language]
        with subtests.test(msg=page_type, path=path):
            response = tab.goto(path)
            assert response.status == 200
            assert tab.page.get_attribute("html", "lang") == language
            footer_link = tab.page.locator(f"footer a[href='{statement}']")
            assert footer_link.count() == 1, "no link to the accessibility statement"
            tab.assert_clean()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_not_found_pages(open_tab, site, subtests, language):
    tab = open_tab(LOCALES[language])
    for path in NOT_FOUND_PAGES[language]:
        with subtests.test(path=path):
            response = tab.goto(path)
            assert response.status == 404
            assert tab.page.get_attribute("html", "lang") == language
            tab.assert_clean()


def test_admin_login_page_in_both_languages(open_tab, subtests):
    for locale, title in (("fr-FR", "Connexion"), ("en-GB", "Log in")):
        with subtests.test(locale=locale):
            tab = open_tab(locale)
            response = tab.goto("/admin/login/")
            assert response.status == 200
            assert title in tab.page.title()
            tab.assert_clean()


def test_admin_pages_a_referent_uses_in_both_languages(open_tab, site, referent_user, subtests):
    for locale in ("fr-FR", "en-GB"):
        tab = open_tab(locale)
        sign_in(tab, referent_user.username)
        with subtests.test(locale=locale, page="list"):
            response = tab.goto("/admin/laboratories/lab/")
            assert response.status == 200
            assert tab.page.get_by_role("link", name=site.name_fr).count() == 1
            tab.assert_clean()
        with subtests.test(locale=locale, page="change"):
            response = tab.goto(f"/admin/laboratories/lab/{site.pk}/change/")
            assert response.status == 200
            assert tab.page.input_value("input[name=name_fr]") == site.name_fr
            tab.assert_clean()


def test_access_refused_page(portal, site, referent_user):
    sign_in(portal, referent_user.username)
    response = portal.goto("/admin/instruments/instrument/")
    assert response.status == 403
    assert portal.page.get_by_role("heading", level=1).inner_text() == "Accès refusé"
    portal.assert_clean()


@pytest.mark.urls("tests.core.urls_failing")
def test_error_pages_in_both_languages(open_tab, subtests):
    # 500 (a view fails) and 503 (the database does not answer), as a visitor sees them.
    for language, locale in LOCALES.items():
        tab = open_tab(locale)
        for path, status in ((f"/{language}/broken/", 500), (f"/{language}/database-gone/", 503)):
            with subtests.test(path=path):
                response = tab.goto(path)
                assert response.status == status
                assert tab.page.get_attribute("html", "lang") == language
                tab.assert_clean()


def test_sign_in_lockout_page(portal, referent_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(portal, referent_user.username, "not-the-password")
    assert portal.page.get_by_role("heading", level=1).inner_text() == (
        "Trop de tentatives de connexion"
    )
    portal.assert_clean()
