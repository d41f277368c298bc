"""A search results page is open to search engines and names the bare search page as its
canonical address, so that every query is gathered under one page."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "canonical"),
    [("/fr/recherche/?q=universite", "/fr/recherche/"), ("/en/search/?q=tokyo", "/en/search/")],
)
def test_search_results_point_to_the_search_page_and_are_not_closed(client, path, canonical):
    page = client.get(path).content.decode()
    assert f'<link rel="canonical" href="http://testserver{canonical}">' in page
    assert 'name="robots"' not in page
