"""Rich text: XSS saved through the admin never reaches a public page; good markup stays."""

from html.parser import HTMLParser

import pytest
from django.template import engines
from django.utils import translation

from core.sanitize import clean_html, plain_text
from instruments.models import Instrument
from laboratories.models import Lab
from tests.admin_forms import admin_form_data
from tests.factories import (
    DerciMissionFactory,
    EuropeanProgrammeFactory,
    InstrumentFactory,
    LabFactory,
    OfficeFactory,
    QuoteFactory,
    ResearchCenterFactory,
    UserFactory,
)

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=\"alert('xss-2')\">",
    "<a href=\"javascript:alert('xss-3')\">lien</a>",
    "<svg><script>alert('xss-4')</script></svg>",
    "<iframe src=\"javascript:alert('xss-5')\"></iframe>",
    '<p onclick="alert(\'xss-6\')" style="position:fixed">clic</p>',
    "<a href=\"JaVaScRiPt&colon;alert('xss-7')\">lien</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-8')>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTknKTwvc2NyaXB0Pg==">',
    "<form action=\"javascript:alert('xss-10')\"><button>ok</button></form>",
]
PAYLOAD = "<p>Texte sûr.</p>" + "".join(PAYLOADS)


class ScriptableParts(HTMLParser):
    """Everything in a page that could run a script."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in {"iframe", "object", "embed"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript"):
                self.found.append(f"{tag} {name}={value}")
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script and "xss" in data:
            self.found.append(f"script {data}")

    def handle_endtag(self, tag):
        self._in_script = False


def scriptable_parts(html: str) -> list[str]:
    parser = ScriptableParts()
    parser.feed(html)
    return parser.found


ENTRIES = {
    "lab": (LabFactory, "laboratories/lab", ["summary", "description"]),
    "centre": (
        ResearchCenterFactory,
        "laboratories/researchcenter",
        ["summary", "description", "other_structures"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ENTRIES)
def test_xss_saved_through_the_admin_is_nowhere_on_the_public_pages(client, kind):
    factory, admin_path, fields = ENTRIES[kind]
    entry = factory()
    client.force_login(UserFactory(username="root", is_superuser=True))
    url = f"/admin/{admin_path}/{entry.pk}/change/"
    changes = {f"{field}_{lang}": PAYLOAD for field in fields for lang in ("fr", "en")}

    response = client.post(url, admin_form_data(client.get(url), **changes))

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    for name in changes:
        assert getattr(entry, name).startswith("<p>Texte sûr.</p>")
        assert "xss" not in getattr(entry, name)
    for language in ("fr", "en"):
        with translation.override(language):
            response = client.get(entry.get_absolute_url())
        page = response.content.decode()
        assert response.status_code == 200
        assert "xss" not in page, language
        assert scriptable_parts(page) == [], language


def test_good_markup_is_kept():
    html = (
        "<p>Un <strong>laboratoire</strong> <em>commun</em> avec l'<abbr title=\"Université "
        'de Tokyo">UTokyo</abbr> : <a href="https://www.u-tokyo.ac.jp/">site</a>.</p>'
        '<ul><li>robotique</li><li><span lang="en">soft robotics</span></li></ul>'
    )
    cleaned = clean_html(html)
    assert '<a href="https://www.u-tokyo.ac.jp/" rel="noopener noreferrer">site</a>' in cleaned
    assert cleaned.replace(' rel="noopener noreferrer"', "") == html


@pytest.mark.parametrize("text", ["R&D < 5 ans, 3 > 2", "Recherche & développement", ""])
def test_plain_text_is_stored_as_typed(text):
    assert clean_html(text) == text


@pytest.mark.django_db
def test_rich_text_is_cleaned_on_save_in_every_language():
    lab = LabFactory(description_fr=PAYLOAD, description_en=PAYLOAD, summary_fr="R&D < 5")
    lab.refresh_from_db()
    assert "xss" not in lab.description_fr
    assert "xss" not in lab.description_en
    assert lab.summary_fr == "R&D < 5"


@pytest.mark.django_db
def test_the_rich_text_filter_cleans_what_was_written_around_the_models():
    lab = LabFactory()
    Lab.objects.filter(pk=lab.pk).update(description_fr=PAYLOAD, summary_fr="Ligne 1\nR&D <5")
    lab.refresh_from_db()
    template = engines["django"].from_string(
        "{% load rich_text %}{{ lab.description|rich_text }}|{{ lab.summary|rich_text }}"
    )
    description, summary = template.render({"lab": lab}).split("|")
    assert description.startswith("<p>Texte sûr.</p>")
    assert "xss" not in description
    assert summary == "<p>Ligne 1<br>R&amp;D &lt;5</p>"


# Rich text as an editor writes it, with what must never run.
RICH = (
    '<p>Un <strong>laboratoire</strong> commun, R&amp;D &lt;5 ans.</p><p onclick="alert(1)">'
    "Suite<script>alert('xss-11')</script></p>"
)
RICH_WORDS = "Un laboratoire commun, R&amp;D &lt;5 ans. Suite"  # as the page escapes it


def rich_site():
    """Every public page that shows a rich-text field, each field holding :data:`RICH`."""
    rich = {f"{field}_{lang}": RICH for lang in ("fr", "en") for field in ["summary"]}
    lab = LabFactory(slug="rich", **rich, description_fr=RICH, description_en=RICH)
    QuoteFactory(lab=lab, text_fr=RICH, text_en=RICH)
    ResearchCenterFactory(
        slug="rich", **rich, description_fr=RICH, other_structures_fr=RICH, other_structures_en=RICH
    )
    instrument = {
        f"{field}_{lang}": RICH for lang in ("fr", "en") for field in Instrument.rich_text_fields
    }
    InstrumentFactory(code="IRC", **instrument)
    OfficeFactory(slug="rich", **rich, missions_fr=RICH, missions_en=RICH)
    DerciMissionFactory(text_fr=RICH, text_en=RICH)
    EuropeanProgrammeFactory(**rich)
    return {
        "/fr/": 1,
        "/fr/laboratoires/rich/": 3,  # summary, description, quote
        "/fr/centres/rich/": 3,  # summary, description, other structures
        "/fr/instruments/irc/": len(Instrument.rich_text_fields),
        "/fr/instruments/": 1,  # the European programme's summary
        "/fr/bureaux/rich/": 2,  # summary, missions
        "/fr/bureaux/": 1,  # Derci's mission
    }


def meta_description(page: str) -> str:
    start = page.index('<meta name="description" content="') + len('<meta name="description" ')
    return page[start + len('content="') : page.index('">', start)]


@pytest.mark.django_db
def test_rich_text_is_shown_as_html_never_as_tags_nor_scripts(client):
    for path, shown in rich_site().items():
        page = client.get(path).content.decode()
        assert page.count("Un <strong>laboratoire</strong> commun, R&amp;D &lt;5 ans.") == shown
        assert "&lt;p&gt;" not in page and "&lt;strong&gt;" not in page, path
        assert "xss" not in page and scriptable_parts(page) == [], path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/fr/laboratoires/rich/", "/fr/centres/rich/", "/fr/bureaux/rich/"]
)
def test_meta_descriptions_are_the_words_without_markup(client, path):
    rich_site()
    assert meta_description(client.get(path).content.decode()) == RICH_WORDS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/fr/laboratoires/", "/fr/centres/", "/fr/recherche/?q=laboratoire"]
)
def test_list_and_search_excerpts_are_plain_text(client, path):
    rich_site()
    page = client.get(path).content.decode()
    assert "commun, R&amp;D &lt;5 ans. Suite" in page
    assert "<strong>" not in page and "&lt;p&gt;" not in page and "&lt;strong&gt;" not in page
    if "recherche" in path:
        assert "<mark>laboratoire</mark> commun" in page


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "<p>Un</p><p>deux<br>trois</p><ul><li>quatre</li><li>cinq</li></ul>",
            "Un deux trois quatre cinq",
        ),
        ('<p>R&amp;D <a href="https://x.org/" title="a>b">lien</a></p>', "R&D lien"),
        ("<p>a</p><script>alert('xss')</script><style>p{}</style>", "a"),
        ("R&D < 5 ans\nsuite", "R&D < 5 ans\nsuite"),  # plain text stays as typed
        ("", ""),
    ],
)
def test_plain_text_is_the_words_without_markup(text, words):
    assert plain_text(text) == words
