"""Word diffs of long texts stay bounded: no signed-in page holds a worker for seconds."""

import random
import time

import pytest

from backoffice import changes
from backoffice.changes import DiffBudget, FieldChange
from backoffice.models import Revision
from laboratories.models import Lab
from tests.backoffice.forms import change_form

pytestmark = pytest.mark.django_db

WORDS = 20_000
SECONDS = 5  # the most a signed-in page may hold a worker
VOCABULARY = [
    *("le", "la", "les", "des", "de", "du", "et", "avec", "CNRS", "laboratoire", "recherche"),
    *("universités", "partenaires", "étudient", "robotique", "matériaux", "climat", "océans"),
    *("données", "équipes"),
]


def long_text(seed, words=WORDS):
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def edited(text, places=5):
    """``text`` edited in a few places: a word replaced, a sentence added."""
    words = text.split(" ")
    step = len(words) // places
    for number in range(places):
        words[number * step + 7] = f"remplacé{number}"
    words.insert(len(words) // 2, "Une phrase ajoutée au milieu.")
    return " ".join(words)


def timed_get(client, url):
    start = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - start


def test_a_20000_word_text_edited_in_a_few_places_is_compared_word_by_word():
    before = long_text(seed=1)
    change = FieldChange("description_en", "Description", "en", before, edited(before))
    start = time.perf_counter()
    before_html, after_html = change.before_html, change.after_html
    assert time.perf_counter() - start < SECONDS
    assert not change.side_by_side
    assert "<ins>remplacé3</ins>" in after_html
    assert "<ins>Une phrase ajoutée au milieu. </ins>" in after_html
    assert before_html.count("<del>") == 5
    assert "<ins>" not in before_html and "<del>" not in after_html


def test_texts_too_different_to_compare_in_time_are_shown_whole_side_by_side():
    budget = DiffBudget()
    rewrites = [
        FieldChange(
            "description_en",
            "Description",
            "en",
            long_text(seed),
            long_text(seed + 1),
            budget=budget,
        )
        for seed in range(6)
    ]
    start = time.perf_counter()
    shown = [(change.before_html, change.after_html) for change in rewrites]
    spent = time.perf_counter() - start
    # The page's comparisons share one budget: six rewrites take no more than it.
    assert spent < DiffBudget.per_page + 1
    assert all(change.side_by_side for change in rewrites)
    assert shown[0] == (rewrites[0].before, rewrites[0].after)  # whole, without marks


def test_values_are_escaped_whether_marked_or_shown_whole():
    change = FieldChange("name_en", "Name", "en", "a <b>", "a <i>")
    assert change.before_html == "a <del>&lt;b&gt;</del>"
    assert change.after_html == "a <ins>&lt;i&gt;</ins>"
    change = FieldChange("name_en", "Name", "en", "<b>", "<i>")
    change.__dict__["diff"] = None  # as when the comparison ran out of time
    assert change.before_html == "&lt;b&gt;"
    assert change.side_by_side


def referent_submits(client, referent_user, lab, **changes_):
    url = f"/admin/laboratories/lab/{lab.pk}/change/"
    client.force_login(referent_user)
    data = change_form(client, url, "lab")
    data.update({name: [value] for name, value in changes_.items()})
    assert client.post(url, data).status_code == 302
    return Revision.objects.get()


def test_review_page_of_a_20000_word_description_answers_within_seconds(
    client, referent_user, staff_user, own_lab
):
    text_fr, text_en = long_text(seed=1), long_text(seed=2)
    Lab.objects.filter(pk=own_lab.pk).update(description_fr=text_fr, description_en=text_en)
    revision = referent_submits(
        client,
        referent_user,
        own_lab,
        description_fr=edited(text_fr),
        description_en=edited(text_en),
    )
    client.force_login(staff_user)
    response, seconds = timed_get(client, revision.get_absolute_url())
    assert response.status_code == 200
    assert seconds < SECONDS
    page = response.content.decode()
    assert "<ins>remplacé4</ins>" in page
    assert "Too long to compare" not in page and "Trop long" not in page
    # The long unchanged stretches are left out, said so: the page shows the few places.
    assert "mots inchangés …]" in page
    assert len(page) < 100_000  # the two texts alone are more than 400,000 characters


def test_each_field_is_compared_once_per_page(
    client, referent_user, staff_user, own_lab, monkeypatch
):
    revision = referent_submits(
        client,
        referent_user,
        own_lab,
        name_en="Robotics and AI in Tokyo",
        city_en="Tokyo and Osaka",
    )
    calls = []
    word_diff = changes.word_diff

    def counted(before, after, **kwargs):
        calls.append(before)
        return word_diff(before, after, **kwargs)

    monkeypatch.setattr(changes, "word_diff", counted)
    client.force_login(staff_user)
    assert client.get(revision.get_absolute_url()).status_code == 200
    assert sorted(calls) == ["Robotics in Tokyo", "Tokyo"]


def test_history_of_20000_word_rewrites_answers_within_seconds_and_says_so(staff_client, own_lab):
    for seed in range(8):
        own_lab.description_en = long_text(seed)
        own_lab.save()
    response, seconds = timed_get(staff_client, f"/admin/laboratories/lab/{own_lab.pk}/history/")
    assert response.status_code == 200
    assert seconds < SECONDS
    page = response.content.decode()
    assert "Trop long pour comparer mot à mot" in page
