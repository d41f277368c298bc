"""The editorial workflow in a real browser: error reports, invitations, the admin's layout."""

import re

import pytest
from django.core import mail

from backoffice.models import ErrorReport
from tests.browser.conftest import sign_in
from tests.factories import InstituteFactory, LabFactory
from tests.tasks import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_visitor_reports_an_error_staff_fix_it_and_the_visitor_is_told(
    portal, open_tab, staff_user
):
    lab = LabFactory(slug="robotique", name_fr="Laboratoire de robotique", city_fr="Tokio")
    page = portal.page
    portal.goto("/fr/laboratoires/robotique/")
    with page.expect_navigation():
        page.get_by_role("link", name="Signaler une erreur").click()
    portal.assert_clean()
    page.get_by_label("Qu’est-ce qui est erroné").fill("La ville est Tokyo, pas Tokio.")
    page.get_by_label("Votre adresse électronique (facultative)").fill("visiteur@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.get_by_role("status").inner_text().startswith("Merci")
    portal.assert_clean()

    staff = open_tab("fr-FR")
    sign_in(staff, staff_user.username)
    staff.goto("/admin/")
    with staff.page.expect_navigation():
        staff.page.get_by_role("link", name="Signalements d’erreur à traiter").click()
    with staff.page.expect_navigation():
        staff.page.get_by_role("link", name="Laboratoire de robotique").first.click()
    assert staff.page.get_by_text("La ville est Tokyo, pas Tokio.").count() == 1
    with staff.page.expect_navigation():
        staff.page.get_by_role("link", name="modifier la fiche").click()
    staff.page.fill("input[name=city_fr]", "Tokyo")
    with staff.page.expect_navigation():
        staff.page.click("input[name=_save]")
    assert staff.page.locator(".errornote").count() == 0
    report = ErrorReport.objects.get()
    staff.goto(f"/admin/backoffice/errorreport/{report.pk}/change/")
    staff.page.get_by_label("Traité").check()
    staff.page.fill("textarea[name=reply]", "Corrigé, merci.")
    with staff.page.expect_navigation():
        staff.page.click("input[name=_save]")
    staff.assert_clean()

    lab.refresh_from_db()
    assert lab.city_fr == "Tokyo"
    run_worker()
    told = [m for m in mail.outbox if m.to == ["visiteur@example.org"]]
    assert len(told) == 1
    assert "Corrigé, merci." in told[0].body


def test_staff_invite_an_insis_referent_who_sets_a_password_and_sees_only_insis(
    portal, open_tab, staff_user
):
    insis = InstituteFactory(code="INSIS", name_fr="Ingénierie")
    inc = InstituteFactory(code="INC", name_fr="Chimie")
    LabFactory(lead_institute=insis, name_fr="Robots de l’INSIS")
    LabFactory(lead_institute=inc, name_fr="Molécules de l’INC")
    page = portal.page
    sign_in(portal, staff_user.username)
    portal.goto("/admin/accounts/user/add/")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=email]", "ada@example.org")
    page.get_by_label("Référent d’institut", exact=False).check()
    page.get_by_label("INSIS", exact=False).check()
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".errornote").count() == 0
    portal.assert_clean()

    run_worker()
    [message] = mail.outbox
    path = re.search(r"/admin/reset/\S+/", message.body).group(0)
    referent = open_tab("fr-FR")
    referent.goto(path)
    referent.page.fill("input[name=new_password1]", "une-longue-phrase-de-passe")
    referent.page.fill("input[name=new_password2]", "une-longue-phrase-de-passe")
    with referent.page.expect_navigation():
        referent.page.click("#content input[type=submit]")
    assert referent.page.url.endswith("/admin/reset/done/"), referent.page.content()[-3000:]
    sign_in(referent, "ada", "une-longue-phrase-de-passe")
    assert "/login/" not in referent.page.url, referent.page.content()[-3000:]
    referent.goto("/admin/laboratories/lab/")
    assert referent.page.get_by_text("Robots de l’INSIS").count() == 1
    assert referent.page.get_by_text("Molécules de l’INC").count() == 0


@pytest.mark.parametrize("width", [320, 1366])
def test_the_lab_list_fits_the_screen(open_tab, staff_user, width):
    for n in range(3):
        LabFactory(name_fr=f"Laboratoire au nom assez long pour la colonne {n}")
    tab = open_tab("fr-FR")
    tab.page.set_viewport_size({"width": width, "height": 900})
    sign_in(tab, staff_user.username)
    tab.goto("/admin/laboratories/lab/")
    overflow = tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    tab.assert_clean()


@pytest.mark.parametrize("width", [320, 1366])
def test_a_referents_dashboard_keeps_entry_names_readable(open_tab, referent_user, width):
    from backoffice.services import revision_reject, revision_submit
    from tests.factories import UserFactory

    insis = referent_user.referent_institutes.get()
    lab = LabFactory(lead_institute=insis, name_fr="Laboratoire international de robotique")
    reviewer = UserFactory(username="reviewer")
    _outcome, revision = revision_submit(
        entry=lab, proposed={"name_en": "Robots"}, form_fields=["name_en"], author=referent_user
    )
    revision_reject(revision=revision, reviewer=reviewer, message="Gardez le nom complet. " * 20)
    tab = open_tab("fr-FR")
    tab.page.set_viewport_size({"width": width, "height": 900})
    sign_in(tab, referent_user.username)
    tab.goto("/admin/")
    name = tab.page.locator(".dashboard-revisions tbody th").first
    assert name.bounding_box()["width"] > 100  # not a letter a line
    table = tab.page.locator(".dashboard-revisions").bounding_box()
    assert table["x"] + table["width"] <= width  # the message wraps inside the screen
    tab.assert_clean()
