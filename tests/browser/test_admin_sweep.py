"""Every back-office page Derci staff can open is clean for axe-core (WCAG 2.1 A and AA), at
1366 and at 320 CSS pixels wide, and stays within the portal's own origin and its
Content-Security-Policy.

The pages are not listed by hand: they are read from the admin site's registry (each model
admin's list, add form, and the change, history and delete pages of an entry, plus the
extra pages a model admin adds, such as import and export), so a model registered later is
swept too. A page staff may not open (a 403, as Django's own permission models answer
them) is left out, and the test says how many it opened.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, reverse

from backoffice.models import ErrorReport, Revision
from laboratories.models import Lab
from tests.backoffice.forms import change_form
from tests.browser.conftest import sign_in
from tests.browser.pages import LAB_SLUG, create_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 320, "height": 640}
# Pages that are not pages: a form's target, or what answers with another format.
NOT_PAGES = ("process_import", "autocomplete", "jsi18n")


@pytest.fixture
def site(transactional_db, referent_user):
    create_site()
    lab = Lab.objects.get(slug=LAB_SLUG)
    lab.lead_institute.referents.add(referent_user)
    # A referent's proposed change, waiting in the review queue.
    referent = Client()
    referent.force_login(referent_user)
    url = f"/admin/laboratories/lab/{lab.pk}/change/"
    data = change_form(referent, url, "lab")
    data["name_en"] = ["CINTRA, renamed by its referent"]
    assert referent.post(url, data).status_code == 302
    assert Revision.objects.pending().count() == 1
    # A visitor's error report.
    report = ErrorReport.objects.create(
        content_type_id=Revision.objects.get().content_type_id,
        object_id=lab.pk,
        object_repr=str(lab),
        page_url=lab.get_absolute_url(),
        text="La date de création est fausse.",
        language="fr",
    )
    return report


def admin_paths() -> list[str]:
    """The address of every page of every model admin, with the first entry (by primary
    key) for the pages of one entry; none of those for a model with no entry yet."""
    paths = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        first = model._default_manager.order_by("pk").first()
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            if any(word in pattern.name for word in NOT_PAGES):
                continue
            regex = pattern.pattern.regex
            if regex.groups > len(regex.groupindex):
                continue  # positional groups: simple-history's page of one past version
            arguments = set(regex.groupindex)
            if not arguments:
                paths.append(reverse(f"admin:{pattern.name}"))
            elif first is not None and arguments <= {"object_id", "id"}:
                name = next(iter(arguments))
                paths.append(reverse(f"admin:{pattern.name}", kwargs={name: first.pk}))
    return paths


def test_every_admin_page_staff_opens_is_clean_wide_and_narrow(
    open_tab, site, staff_user, subtests
):
    # In French, Derci's language (the pages a referent uses are also checked in English, in
    # test_pages.py; a sweep per language would double the suite's longest test).
    tab = open_tab("fr-FR")
    sign_in(tab, staff_user.username)
    opened = []
    for path in admin_paths():
        tab.page.set_viewport_size(WIDE)
        response = tab.goto(path)
        if response.status == 403:
            continue
        opened.append(path)
        with subtests.test(path=path, width=WIDE["width"]):
            assert response.status == 200
            tab.assert_clean()
        with subtests.test(path=path, width=NARROW["width"]):
            tab.page.set_viewport_size(NARROW)
            tab.assert_clean()
    # Lists, forms, histories and the import and export pages of every content model: far
    # more than the handful a hand-made list would hold.
    assert len(opened) >= 60, opened
    assert any("/backoffice/revision/" in path and "/change/" in path for path in opened)
    assert any("/backoffice/errorreport/" in path for path in opened)
    assert any(path.endswith("/import/") for path in opened)
