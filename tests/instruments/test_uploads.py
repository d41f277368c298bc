"""Fact sheets uploaded through the admin: a real PDF of at most 10 MB, nothing else."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.validators import IMAGE_KINDS, FileTypeValidator, MaxFileSizeValidator
from instruments.models import FACT_SHEET_MAX_BYTES, Instrument
from tests.admin_forms import admin_form_data
from tests.factories import InstrumentFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


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
        f"Ce fichier fait {megabytes}\xa0Mio ; la taille maximale acceptée est de 10,0\xa0Mio."
        in response.content.decode()
    )
    instrument.refresh_from_db()
    assert not instrument.fact_sheet


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
