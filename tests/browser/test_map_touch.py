"""The map's countries can be reached by touch (WCAG 2.2 2.5.8, Target Size (Minimum)).

Every country on the map has a target of at least 24 × 24 CSS pixels (its shape, or for a
small one a round target beneath the shapes); where countries are too crowded for that
target to be free (Europe on a phone), the same address is a link outside the map at least
24 pixels high (the "equivalent" exception): the countries' table on the countries page, the
list folded under the map on the home page. A tap on a city marker reaches its country.
"""

import pytest

from tests.browser.pages import create_site
from tests.factories import LabFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}  # the whole map on screen, to touch each country

# For each country of the map: the box of its target (shape and touch target), the share of
# a 24-pixel square at the middle of its touch target (or shape) that reaches its link,
# and the largest link to the same address outside the map.
TARGETS = """() => {
  const svg = document.querySelector("svg.world-map__svg");
  const outside = [...document.querySelectorAll("a[href]")].filter(a => !svg.contains(a));
  return [...svg.querySelectorAll("a.world-map__country")].map(link => {
    const href = link.getAttribute("href");
    const mine = [...svg.querySelectorAll("a")].filter(a => a.getAttribute("href") === href);
    // (a touch target the script removed, its country being large enough, has no box)
    const boxes = mine.map(a => a.getBoundingClientRect()).filter(b => b.width || b.height);
    const box = {
      width: Math.max(...boxes.map(b => b.right)) - Math.min(...boxes.map(b => b.left)),
      height: Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top)),
    };
    const touch = svg.querySelector('.world-map__touch a[href="' + href + '"]');
    const touchBox = touch && touch.getBoundingClientRect();
    const middle = touchBox && touchBox.width ? touchBox : link.getBoundingClientRect();
    const cx = middle.left + middle.width / 2, cy = middle.top + middle.height / 2;
    let hits = 0, total = 0;
    for (let dx = -10; dx <= 10; dx += 4) for (let dy = -10; dy <= 10; dy += 4) {
      const found = document.elementFromPoint(cx + dx, cy + dy);
      const link = found && found.closest("a");
      hits += link && link.getAttribute("href") === href ? 1 : 0;
      total += 1;
    }
    const same = outside.filter(a => a.getAttribute("href") === href)
      .map(a => a.getBoundingClientRect())
      .filter(b => b.width >= 24 && b.height >= 24);
    return {href, box, free: hits / total, equivalent: same.length > 0, touch: !!touch,
            shape: link.getBoundingClientRect().width >= 24};
  });
}"""


@pytest.fixture
def crowded_site(transactional_db):
    create_site()
    # Small neighbours: a crowd no finger can tell apart on a phone's map.
    for country in ["BE", "LU", "NL", "DE", "CH", "AT", "BH", "QA"]:
        LabFactory(countries=[country])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    ("path", "unfold"),
    [
        ("/fr/pays/", None),  # the countries' table is the equivalent
        ("/fr/", "details.world-map__countries > summary"),  # the list folded under the map
    ],
    ids=["countries", "home"],
)
def test_every_country_of_the_map_has_a_24_pixel_target(
    open_tab, crowded_site, viewport, path, unfold
):
    tab = open_tab("fr-FR")
    tab.page.set_viewport_size(viewport)
    tab.goto(path)
    if unfold:
        tab.page.click(unfold)
    tab.page.locator("svg.world-map__svg").evaluate("map => map.scrollIntoView()")
    targets = tab.page.evaluate(TARGETS)
    assert len(targets) >= 9
    too_small = [t for t in targets if t["box"]["width"] < 24 or t["box"]["height"] < 24]
    assert too_small == []
    assert all(t["touch"] for t in targets if t["href"].endswith(("/lu/", "/bh/", "/sg/")))
    crowded = [t["href"] for t in targets if t["free"] < 0.5 and not t["equivalent"]]
    assert crowded == [], "a country whose target is covered has no equivalent link"
    if viewport is DESKTOP:  # room enough on a wide screen: islands are free to touch
        islands = {t["href"][-4:]: t["free"] for t in targets}
        assert islands["/sg/"] >= 0.5 and islands["/bh/"] >= 0.5, islands
    tab.assert_clean()


TABLET = {"width": 1024, "height": 768}


@pytest.mark.parametrize(
    ("viewport", "target"),
    [
        (TABLET, ".world-map__touch circle[data-country=SG]"),  # Singapore's land is 1 pixel
        (PHONE, ".world-map__markers circle"),  # Singapore's city marker
    ],
    ids=["island", "city"],
)
def test_a_tap_on_a_small_island_or_on_a_city_reaches_its_country(
    browser, live_server, crowded_site, viewport, target
):
    context = browser.new_context(locale="fr-FR", has_touch=True, is_mobile=True, viewport=viewport)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/fr/pays/")
        box = page.locator(target).first.bounding_box()
        with page.expect_navigation():
            page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.url.endswith("/fr/pays/sg/")
    finally:
        context.close()
