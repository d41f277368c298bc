"""What visitors, referents and staff do, in a real browser."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import InstituteFactory, LabFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

XSS_PAYLOADS = {
    "description_fr": (
        "<p>Texte sûr.</p><script>alert('xss-script')</script>"
        "<img src=x onerror=\"alert('xss-img')\">"
        "<a href=\"javascript:alert('xss-link')\">lien</a>"
        "<svg onload=\"alert('xss-svg')\"></svg>"
        "<iframe src=\"javascript:alert('xss-frame')\"></iframe>"
    ),
    "summary_fr": (
        "<b onmouseover=\"alert('xss-hover')\">Résumé</b><style>body{display:none}</style>"
    ),
}


# Every attribute of the page that could run a script: on* handlers, javascript: addresses.
SCRIPTABLE_ATTRIBUTES = """() => [...document.querySelectorAll("*")].flatMap(element =>
    [...element.attributes]
        .filter(a => a.name.startsWith("on") || /^\\s*javascript:/i.test(a.value))
        .map(a => `${element.tagName} ${a.name}=${a.value}`))"""


@pytest.fixture
def labs(transactional_db):
    japan = LabFactory(
        slug="robotique", name_fr="Laboratoire de robotique", name_en="Robotics laboratory"
    )
    brazil = LabFactory(
        slug="rio", name_fr="Mathématiques à Rio", name_en="Mathematics in Rio", countries=["BR"]
    )
    china = LabFactory(
        slug="pekin",
        name_fr="Laboratoire franco-chinois de Pékin",
        name_en="French-Chinese laboratory in Beijing",
        city_fr="Pékin",
        city_en="Beijing",
        countries=["CN"],
    )
    return japan, brazil, china


def press_tab_until(tab, predicate: str, limit: int = 150):
    """Press Tab until the focused element satisfies the JavaScript ``predicate``
    (an arrow function of the element); fail if it is never reached."""
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate(f"({predicate})(document.activeElement)"):
            return
    pytest.fail(f"no element reached with the keyboard matches {predicate}")


def focus_shows(tab) -> bool:
    """Whether the focused element looks different from the same element unfocused."""
    page = tab.page
    element = page.evaluate_handle("document.activeElement")
    box = element.bounding_box()
    if box is None or not box["width"] or not box["height"]:
        return False
    margin = 6  # an outline may be drawn outside the element
    viewport = page.viewport_size
    clip = {
        "x": max(box["x"] - margin, 0),
        "y": max(box["y"] - margin, 0),
        "width": min(box["width"] + 2 * margin, viewport["width"]),
        "height": min(box["height"] + 2 * margin, viewport["height"]),
    }
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("document.activeElement.blur()")
    unfocused = page.screenshot(clip=clip, animations="disabled")
    element.focus()  # the next Tab goes on from here
    return focused != unfocused


def test_keyboard_users_skip_to_the_content_and_always_see_the_focus(portal, labs):
    portal.goto("/fr/laboratoires/")
    page = portal.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#content"
    assert focus_shows(portal), "the skip link is not visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"

    invisible = []
    for _ in range(80):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "(e => e === document.body ? '' : e.tagName + ' ' + (e.getAttribute('href') || "
            "e.getAttribute('name') || e.textContent.trim().slice(0, 40)))(document.activeElement)"
        )
        if not name:
            break  # past the last control of the page
        if not focus_shows(portal):
            invisible.append(name)
    assert invisible == [], "focused without any visible change"


def test_keyboard_alone_filters_the_labs_by_country(portal, labs):
    portal.goto("/fr/laboratoires/")
    page = portal.page
    press_tab_until(
        portal,
        "e => e.tagName === 'A' && /[?&]country=jp(&|$)/i.test(e.getAttribute('href') || '')",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "country=jp" in page.url.lower()
    assert page.get_by_role("link", name="Laboratoire de robotique").count() == 1
    assert page.get_by_text("Mathématiques à Rio").count() == 0
    portal.assert_clean()


def test_visitor_finds_a_countrys_labs_from_the_map(portal, labs):
    portal.goto("/fr/pays/")
    page = portal.page
    # Brazil: the middle of its shape is land, where a visitor would click.
    with page.expect_navigation():
        page.locator("svg a").filter(has_text="Brésil").first.click()

    assert page.get_by_role("link", name="Mathématiques à Rio").count() >= 1
    assert page.get_by_text("Laboratoire de robotique").count() == 0
    portal.assert_clean()


def test_search_finds_with_or_without_accents(portal, labs, subtests):
    page = portal.page
    for query in ("pekin", "Pékin", "PEKIN", "franco chinois"):
        with subtests.test(query=query):
            portal.goto("/fr/recherche/")
            search_box = page.locator("main").get_by_role("searchbox").first
            search_box.fill(query)
            with page.expect_navigation():
                search_box.press("Enter")

            found = page.get_by_role("link", name="Laboratoire franco-chinois de Pékin")
            assert found.count() >= 1
            assert page.get_by_text("Mathématiques à Rio").count() == 0
            portal.assert_clean()


def test_visitor_filters_labs_by_country_and_keeps_the_filter_in_english(portal, labs):
    portal.goto("/fr/laboratoires/?country=JP")
    page = portal.page
    assert page.get_by_role("link", name="Laboratoire de robotique").count() == 1
    assert page.get_by_text("Mathématiques à Rio").count() == 0

    with page.expect_navigation():
        page.get_by_role("link", name="English").click()

    assert page.url == portal.url("/en/labs/?country=JP")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("link", name="Robotics laboratory").count() == 1
    assert page.get_by_text("Mathematics in Rio").count() == 0
    portal.assert_clean()


def test_wrong_password_and_unknown_user_get_the_same_answer(portal, referent_user):
    sign_in(portal, referent_user.username, "not-the-password")
    wrong_password = portal.page.locator(".errornote").inner_text()
    sign_in(portal, "nobody-by-this-name", "not-the-password")
    unknown_user = portal.page.locator(".errornote").inner_text()
    assert wrong_password == unknown_user
    assert portal.page.url == portal.url("/admin/login/")


def test_referent_signs_in_and_edits_their_lab(portal, labs, referent_user):
    lab = labs[0]
    sign_in(portal, referent_user.username)
    page = portal.page
    assert page.url == portal.url("/admin/")

    portal.goto("/admin/laboratories/lab/")
    with page.expect_navigation():
        page.get_by_role("link", name=lab.name_fr).click()
    page.fill("textarea[name=summary_fr]", "Robotique humanoïde avec l'AIST.")
    with page.expect_navigation():
        page.click("input[name=_save]")

    assert page.locator(".messagelist .success").count() == 1
    assert page.locator(".errornote").count() == 0
    portal.assert_clean()


def test_referent_cannot_open_another_institutes_lab(portal, referent_user):
    other = LabFactory(lead_institute=InstituteFactory(code="INSU", name_fr="INSU"))
    sign_in(portal, referent_user.username)

    portal.goto(f"/admin/laboratories/lab/{other.pk}/change/")

    assert portal.page.locator("input[name=name_fr]").count() == 0
    assert other.name_fr not in portal.page.content()


def test_xss_saved_by_staff_in_the_admin_never_runs_on_the_public_page(portal, labs, staff_user):
    lab = labs[0]
    sign_in(portal, staff_user.username)
    portal.goto(f"/admin/laboratories/lab/{lab.pk}/change/")
    page = portal.page
    for field, payload in XSS_PAYLOADS.items():
        page.fill(f"textarea[name={field}]", payload)
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").count() == 1

    portal.goto(f"/fr/laboratoires/{lab.slug}/")
    page.mouse.move(10, 10)
    page.hover("main")

    assert page.get_by_text("Texte sûr.").count() == 1
    assert portal.dialogs == []
    assert "xss-" not in page.content()
    assert page.locator("iframe, object, embed").count() == 0
    assert page.evaluate(SCRIPTABLE_ATTRIBUTES) == []
    portal.assert_clean()


def test_referents_change_waits_for_staff_then_appears_on_the_public_page(
    portal, labs, referent_user, staff_user
):
    lab = labs[0]
    page = portal.page
    new_summary = "Robotique humanoïde, relue par la Derci."

    sign_in(portal, referent_user.username)
    portal.goto(f"/admin/laboratories/lab/{lab.pk}/change/")
    page.fill("textarea[name=summary_fr]", new_summary)
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".errornote").count() == 0

    # Submitted, not published: the public page still shows the published text.
    portal.goto(f"/fr/laboratoires/{lab.slug}/")
    assert page.get_by_text(new_summary).count() == 0

    page.context.clear_cookies()
    sign_in(portal, staff_user.username)
    portal.goto("/admin/backoffice/revision/")
    with page.expect_navigation():
        page.get_by_role("link", name=lab.name_fr).first.click()
    assert page.get_by_text(new_summary).count() >= 1  # the diff shows the proposed text
    with page.expect_navigation():
        page.click("input[name=_approve]")
    assert page.locator(".messagelist .success").count() == 1

    page.context.clear_cookies()
    portal.goto(f"/fr/laboratoires/{lab.slug}/")
    assert page.get_by_text(new_summary).count() == 1
    portal.assert_clean()
