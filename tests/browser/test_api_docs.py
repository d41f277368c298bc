"""The API's documentation page works in a browser under the portal's CSP, with nothing
loaded from another host."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_documentation_renders_the_schema(open_tab):
    tab = open_tab("en-GB")
    assert tab.goto("/api/v1/docs/").status == 200
    heading = tab.page.locator(".swagger-ui .info .title").first
    heading.wait_for()
    assert "CNRS International" in heading.inner_text()
    tab.page.wait_for_timeout(500)
    assert tab.foreign_requests == []
    assert tab.csp_violations == []
