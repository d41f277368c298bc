"""French typography: a narrow no-break space before « : ; ! ? » and inside guillemets, in
the catalogue and in every French text stored, whatever wrote it."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps

from core.typography import NARROW_NBSP, _french_columns, french_spacing, spacing_faults
from tests.factories import LabFactory

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_spacing_turns_typed_spaces_into_narrow_no_break_ones():
    typed = "Pays : Japon ; « Tokyo » ! Ouvert ? 75 000 € et 60 %"
    n = NARROW_NBSP
    assert french_spacing(typed) == (
        f"Pays{n}: Japon{n}; «{n}Tokyo{n}»{n}! Ouvert{n}? 75{n}000{n}€ et 60{n}%"
    )


@pytest.mark.parametrize(
    "text", ["https://cnrs.fr/?page=2", "10:30", "%(name)s : %(counter)s", "Voir %(url)s"]
)
def test_spacing_never_adds_a_space_nor_touches_a_placeholder(text):
    assert french_spacing(text).replace(NARROW_NBSP, " ") == text


def test_no_french_catalogue_entry_has_an_ordinary_space_before_high_punctuation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    faults = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            faults += [f"{message.id!r}: {fault!r}" for fault in spacing_faults(string)]
    assert faults == []


@pytest.mark.django_db
def test_french_text_is_stored_with_narrow_no_break_spaces():
    lab = LabFactory(
        name_fr="Laboratoire « Pima County »",
        summary_fr="Objectif : comprendre ; et vite !",
        name_en="Lab : English keeps its spaces",
    )
    lab.refresh_from_db()
    assert lab.name_fr == f"Laboratoire «{NARROW_NBSP}Pima County{NARROW_NBSP}»"
    assert (
        lab.summary_fr == f"Objectif{NARROW_NBSP}: comprendre{NARROW_NBSP}; et vite{NARROW_NBSP}!"
    )
    assert lab.name_en == "Lab : English keeps its spaces"


@pytest.mark.django_db
def test_no_stored_french_text_of_the_demo_data_has_an_ordinary_space_before_punctuation(
    demo_loaded,
):
    faults, columns = [], 0
    for model in apps.get_models():
        names = _french_columns(model)
        columns += len(names)
        for name in names:
            for pk, value in model.objects.exclude(**{name: ""}).values_list("pk", name):
                faults += [
                    f"{model.__name__} {pk} {name}: {fault!r}"
                    for fault in spacing_faults(value or "")
                ]
    assert columns > 20
    assert faults == []
