"""Reflow, focus and keyboard paths (WCAG 2.1 AA 1.4.10, 1.4.11, 2.4.1), in a real browser.

- At 320 CSS pixels wide no page scrolls sideways: every public page type in both
  languages, and the back-office pages a referent uses.
- The focus ring of every element the Tab key reaches has a contrast of 3:1 or more with
  the background around it, and no Tab stop is an element that does nothing (the map's
  ``<svg>``).
- On a phone the labs list's filters are folded into a disclosure above the results, and
  the first result is a few Tab presses away on every width.
"""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.pages import PUBLIC_PAGES, create_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOCALES = {"fr": "fr-FR", "en": "en-GB"}
NARROW = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

# What sticks out of the page on the right, to say which element breaks the reflow.
OVERFLOW = """() => {
  const root = document.documentElement;
  const culprits = [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
  return {scroll: root.scrollWidth, client: root.clientWidth, culprits};
}"""

# The focused element's outline and the colour behind it (the first opaque background of
# its ancestors, the outline being drawn outside the element), as sRGB triples.
FOCUS_RING = """() => {
  const rgb = value => (value.match(/[\\d.]+/g) || []).map(Number);
  const element = document.activeElement;
  const style = getComputedStyle(element);
  let behind = element.parentElement, background = [255, 255, 255];
  while (behind) {
    const colour = rgb(getComputedStyle(behind).backgroundColor);
    const image = getComputedStyle(behind).backgroundImage;
    if (image && image !== "none") {  // a gradient: take its first colour stop
      background = rgb(image).slice(0, 3);
      break;
    }
    if (colour.length === 3 || colour[3] > 0) { background = colour.slice(0, 3); break; }
    behind = behind.parentElement;
  }
  return {
    tag: element.tagName.toLowerCase(),
    text: (element.getAttribute("aria-label") || element.textContent || element.name || "")
      .trim().slice(0, 40),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    colour: rgb(style.outlineColor).slice(0, 3),
    background,
    isBody: element === document.body,
  };
}"""


def contrast(first, second) -> float:
    def luminance(colour):
        channels = [
            value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
            for value in (c / 255 for c in colour)
        ]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def site(transactional_db):
    return create_site()


def assert_no_sideways_scroll(tab):
    found = tab.page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["client"], found


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_page_scrolls_sideways_at_320_pixels(open_tab, site, subtests, language):
    tab = open_tab(LOCALES[language])
    tab.page.set_viewport_size(NARROW)
    for page_type, paths in PUBLIC_PAGES.items():
        with subtests.test(msg=page_type, path=paths[language]):
            assert tab.goto(paths[language]).status == 200
            assert_no_sideways_scroll(tab)


def test_referent_admin_pages_do_not_scroll_sideways_at_320_pixels(
    open_tab, site, referent_user, subtests
):
    tab = open_tab("fr-FR")
    tab.page.set_viewport_size(NARROW)
    sign_in(tab, referent_user.username)
    for path in (
        "/admin/",
        "/admin/laboratories/lab/",
        f"/admin/laboratories/lab/{site.pk}/change/",
        f"/admin/laboratories/lab/{site.pk}/history/",
        "/admin/password_change/",
    ):
        with subtests.test(path=path):
            assert tab.goto(path).status == 200
            assert_no_sideways_scroll(tab)


@pytest.mark.parametrize(
    ("page_type", "viewport"),
    [("labs with filters", DESKTOP), ("home", DESKTOP), ("lab", PHONE), ("search", PHONE)],
)
def test_every_tab_stop_shows_a_focus_ring_of_3_to_1(open_tab, site, page_type, viewport):
    tab = open_tab("fr-FR")
    tab.page.set_viewport_size(viewport)
    tab.goto(PUBLIC_PAGES[page_type]["fr"])
    if viewport is PHONE and tab.page.locator("details.filters").count():
        tab.page.click("details.filters > summary")
    seen, weak = set(), []
    for _ in range(400):
        tab.page.keyboard.press("Tab")
        ring = tab.page.evaluate(FOCUS_RING)
        if ring["isBody"] or (ring["tag"], ring["text"]) in seen:
            break
        seen.add((ring["tag"], ring["text"]))
        assert ring["tag"] != "svg", "the map's <svg> is a Tab stop that does nothing"
        if ring["tag"] == "a" and tab.page.evaluate(
            "() => document.activeElement instanceof SVGElement"
        ):
            continue  # a country of the map: its outline is the shape's stroke, checked below
        ratio = contrast(ring["colour"], ring["background"])
        if ring["style"] == "none" or ring["width"] < 2 or ratio < 3:
            weak.append(
                f"{ring['tag']} {ring['text']!r}: {ring['style']} {ring['width']}px {ratio:.2f}:1"
            )
    assert len(seen) > 10, seen
    assert weak == []
    kinds = {tag for tag, _text in seen}
    assert {"a", "button", "input"} <= kinds


def test_a_map_country_in_focus_is_outlined_at_3_to_1(open_tab, site):
    tab = open_tab("fr-FR")
    tab.goto(PUBLIC_PAGES["labs"]["fr"])
    tab.page.focus(".world-map__country")
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Shift+Tab")
    stroke = tab.page.evaluate(
        """() => getComputedStyle(document.activeElement.querySelector("use")).stroke"""
    )
    colour = [int(value) for value in stroke[stroke.index("(") + 1 : -1].split(",")]
    assert contrast(colour, [247, 249, 252]) >= 3  # the map's sea


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_the_first_result_is_four_tab_presses_away(open_tab, site, viewport):
    tab = open_tab("fr-FR")
    tab.page.set_viewport_size(viewport)
    tab.goto(PUBLIC_PAGES["labs with filters"]["fr"])
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("() => document.activeElement.textContent") == "Aller aux résultats"
    tab.page.keyboard.press("Enter")
    tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == site.get_absolute_url()


def test_search_results_are_a_skip_link_away(open_tab, site):
    tab = open_tab("en-GB")
    tab.goto("/en/search/?q=singapore")
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Enter")
    tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == "/en/countries/sg/"  # the countries matched come first, then the labs


def test_filters_fold_into_a_disclosure_on_a_phone(open_tab, site):
    tab = open_tab("fr-FR")
    tab.page.set_viewport_size(PHONE)
    tab.goto(PUBLIC_PAGES["labs with filters"]["fr"])
    summary = tab.page.locator("details.filters > summary")
    assert summary.is_visible()
    assert summary.inner_text() == "Filtres (3 actifs)"
    facet = tab.page.locator(".facet").first
    assert not facet.is_visible()
    # The first result is on the first screen, above the fold.
    first = tab.page.locator("#results-list a").first
    assert first.bounding_box()["y"] < PHONE["height"] * 1.5
    summary.click()
    assert facet.is_visible()
    tab.assert_clean()


def test_filters_stand_beside_the_results_on_a_wide_screen(open_tab, site):
    tab = open_tab("fr-FR")
    tab.page.set_viewport_size(DESKTOP)
    tab.goto(PUBLIC_PAGES["labs"]["fr"])
    assert not tab.page.locator("details.filters > summary").is_visible()
    assert tab.page.locator(".facet").first.is_visible()
