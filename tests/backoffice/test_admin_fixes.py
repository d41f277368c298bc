"""Admin wording and pickers that read right in French."""

import pytest

from tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db


def test_titles_and_actions_read_right_in_french(staff_client, own_lab):
    instrument = InstrumentFactory()
    page = staff_client.get(f"/admin/instruments/instrument/{instrument.pk}/change/")
    title = page.context["title"]
    assert title.startswith("Modifier\u202f: ")
    history = staff_client.get(f"/admin/laboratories/lab/{own_lab.pk}/history/")
    assert "Historique de vue" not in history.content.decode()
    listing = staff_client.get("/admin/laboratories/lab/").content.decode()
    assert "sélectionnés" not in listing
    assert "Supprimer la sélection" in listing


def test_the_export_page_names_its_columns_in_french(staff_client, own_lab):
    page = staff_client.get("/admin/laboratories/lab/export/").content.decode()
    assert "Tout sélectionner" in page
    assert "Select all" not in page
    assert "Name Fr" not in page
    assert "Lead Institute" not in page
    assert "Nom (en anglais)" in page


def test_country_pickers_are_sorted_by_name_in_the_page_language(staff_client, own_lab):
    url = "/admin/autocomplete/?app_label=laboratories&model_name=lab&field_name=countries"
    names = [item["text"] for item in staff_client.get(url).json()["results"]]
    assert names[:3] == sorted(names[:3])
    assert names.index("Afrique du Sud") < names.index("Allemagne")  # ZA before DE
    found = [i["text"] for i in staff_client.get(url + "&term=japon").json()["results"]]
    assert found == ["Japon"]
