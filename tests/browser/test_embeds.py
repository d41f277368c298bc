"""An embed renders inside an iframe of a page served from another origin, while a normal
page of the portal refuses to be framed there."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.browser.pages import COUNTRY, create_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(transactional_db):
    return create_site()


@pytest.fixture
def partner_site():
    """``serve(html)``: the address of a page of a partner's site, on another origin of this
    machine (a browser keeps a site it cannot place from framing local ones)."""
    servers = []

    def serve(html: str) -> str:
        class Page(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html.encode())

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/partner-university/"

    yield serve
    for server in servers:
        server.shutdown()


def test_an_embed_is_shown_in_another_sites_iframe_but_a_page_is_not(open_tab, site, partner_site):
    tab = open_tab("en-GB")
    base = tab.base_url.replace("127.0.0.1", "localhost")  # not the partner's origin
    embed = f"{base}/embed/en/country/{COUNTRY}/"
    page = f"{base}/en/labs/"
    partner = partner_site(
        '<!DOCTYPE html><html lang="en"><head><title>A partner university</title></head><body>'
        f'<iframe id="embed" title="CNRS labs" src="{embed}" width="800" height="600"></iframe>'
        f'<iframe id="page" title="CNRS page" src="{page}" width="800" height="600"></iframe>'
        "</body></html>"
    )
    # Both origins are the test's own (registered last: Playwright runs this route first).
    tab.page.route(lambda url: url.startswith((partner, base)), lambda route: route.continue_())
    tab.page.goto(partner)

    heading = tab.page.frame_locator("#embed").locator("h1")
    heading.wait_for()
    assert "CNRS labs" in heading.inner_text()
    links = tab.page.frame_locator("#embed").locator(f"a[href$='/en/labs/?country={COUNTRY}']")
    assert links.count() >= 1

    tab.page.wait_for_timeout(500)
    # Refused: the browser shows nothing of the page in the frame.
    framed = tab.page.frame_locator("#page")
    assert framed.locator("main#content").count() == 0
    assert "neterror" in (framed.locator("body").get_attribute("class") or "")
    refused = [text for text in tab.csp_violations if "frame-ancestors" in text]
    assert refused, tab.csp_violations
    assert tab.foreign_requests == []
