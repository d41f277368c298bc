"""Whatever a visitor types in the address bar: a clear answer, never a server error."""

import pytest

from tests.factories import InstituteFactory, InstrumentFactory, LabFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def labs():
    InstrumentFactory(code="IRP", name_fr="Projet", name_en="Project")
    InstituteFactory(code="INC", name_fr="Chimie", name_en="Chemistry")
    ThemeFactory(slug="robotique")
    japan = LabFactory(name_fr="Robotique à Tsukuba", name_en="Robotics in Tsukuba")
    brazil = LabFactory(name_fr="Maths à Rio", name_en="Maths in Rio", countries=["BR"])
    return japan, brazil


BAD = [
    # (query string, parameter, value shown on the page)
    ("country=XX", "country", "XX"),
    ("country=japan", "country", "japan"),
    ("region=atlantis", "region", "atlantis"),
    ("instrument=ABC", "instrument", "ABC"),
    ("institute=NOPE", "institute", "NOPE"),
    ("theme=unknown-theme", "theme", "unknown-theme"),
    ("status=sleeping", "status", "sleeping"),
    ("industry=maybe", "industry", "maybe"),
    ("sort=price", "sort", "price"),
    ("page=abc", "page", "abc"),
    ("page=0", "page", "0"),
    ("page=-3", "page", "-3"),
    ("page=1.5", "page", "1.5"),
    ("page=99999999999999999999", "page", "99999999999999999999"),
    ("page=999", "page", "999"),
    ("format=xml", "format", "xml"),
    ("region=asia&region=europe", "region", "europe"),
    ("sort=name&sort=country", "sort", "country"),
    ("q=%00%01robot", "q", "\ufffd\ufffdrobot"),
    ("q=%FF%FE", "q", "\ufffd\ufffd"),
    ("q=" + "a" * 300, "q", "a" * 80 + "…"),
    ("q=%21%21%21", "q", "!!!"),
    ("country=%00", "country", "\ufffd"),
    ("instrument=" + "x" * 500, "instrument", "x" * 80 + "…"),
]


@pytest.mark.parametrize(("query", "parameter", "shown"), BAD)
@pytest.mark.parametrize("prefix", ["/fr/laboratoires/", "/en/labs/"])
def test_a_bad_value_is_said_on_the_page_and_the_rest_still_shows(
    client, labs, prefix, query, parameter, shown
):
    response = client.get(f"{prefix}?{query}")
    assert response.status_code == 200
    problems = [(p.parameter, p.value) for p in response.context["problems"]]
    assert (parameter, shown) in problems
    page = response.content.decode()
    assert 'class="notice"' in page
    assert f"<code>{parameter}=" in page
    if not query.startswith("q=a"):  # the shortened query matches nothing, rightly
        assert response.context["page_obj"].paginator.count >= 1


# An export is every match: a page beyond the end does not concern it (the format is tested
# on its own below).
BAD_FOR_EXPORTS = [case for case in BAD if case[1] != "format" and case[0] != "page=999"]


@pytest.mark.parametrize(("query", "parameter", "shown"), BAD_FOR_EXPORTS)
@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_a_bad_value_makes_an_export_answer_400(
    client, labs, query, parameter, shown, export_format
):
    response = client.get(f"/en/labs/?{query}&format={export_format}")
    assert response.status_code == 400
    body = response.content.decode()
    if export_format == "json":
        assert {"parameter": parameter, "value": shown} in [
            {"parameter": e["parameter"], "value": e["value"]} for e in response.json()["errors"]
        ]
    else:
        assert response["Content-Type"].startswith("text/plain")
        assert f"{parameter}=" in body


@pytest.mark.parametrize("query", ["format=csv&format=json", "format=json&format=xml"])
def test_a_repeated_format_is_a_bad_request(client, labs, query):
    assert client.get(f"/en/labs/?{query}").status_code == 400


def test_valid_filters_still_apply_beside_a_bad_one(client, labs):
    japan, _brazil = labs
    response = client.get("/en/labs/?country=jp&country=xx&instrument=nope")
    assert [lab.pk for lab in response.context["labs"]] == [japan.pk]
    problems = {(p.parameter, p.value) for p in response.context["problems"]}
    assert problems == {("country", "xx"), ("instrument", "nope")}


def test_the_first_of_repeated_values_is_used(client, labs):
    response = client.get("/en/labs/?instrument=irl&instrument=irp")
    assert response.context["filterset"].data.getlist("instrument") == ["irl"]
    assert len(response.context["labs"]) == 2


def test_a_repeated_identical_value_is_not_a_problem(client, labs):
    response = client.get("/en/labs/?region=asia&region=asia&country=jp&country=JP")
    assert response.context["problems"] == []


def test_a_page_beyond_the_end_shows_the_last_page(client, labs):
    response = client.get("/fr/laboratoires/?page=999")
    assert response.context["page_obj"].number == 1
    assert "il n’y a que 1 page" in response.content.decode()


def test_an_overlong_query_is_searched_shortened(client, labs):
    response = client.get("/en/labs/?q=tsukuba" + "+x" * 150)
    assert response.status_code == 200
    assert len(response.context["filterset"].query) <= 200


@pytest.mark.parametrize(
    "query",
    [
        f"country={SCRIPT}",
        f"q={SCRIPT}",
        f"sort={SCRIPT}",
        f"theme=%22%3E{SCRIPT}",
        f"page={SCRIPT}",
    ],
)
@pytest.mark.parametrize("path", ["/fr/laboratoires/", "/en/search/"])
def test_nothing_is_echoed_unescaped(client, labs, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert SCRIPT not in page
    assert "<script>alert" not in page


@pytest.mark.parametrize(("path", "query"), [("/fr/laboratoires/", "le"), ("/en/labs/", "the of")])
def test_a_query_of_only_common_words_is_said_and_set_aside(client, labs, path, query):
    response = client.get(f"{path}?q={query}")
    assert [(p.parameter, p.value) for p in response.context["problems"]] == [("q", query)]
    assert response.context["page_obj"].paginator.count == 2


def test_unknown_parameters_are_ignored(client, labs):
    response = client.get("/en/labs/?utm_source=newsletter&x=1")
    assert response.status_code == 200
    assert response.context["problems"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/en/search/?q=%00",
        "/en/search/?q=" + "é" * 1000,
        "/en/search/?q=a&q=b",
        "/fr/recherche/?q=%FF",
        "/fr/recherche/?q=%27%22%5C%3A%2A%26%7C%21",
    ],
)
def test_search_page_survives_bad_queries(client, labs, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["problems"]


@pytest.mark.parametrize(
    "path",
    [
        "/en/labs/no-such-lab/",
        "/en/countries/xx/",
        "/en/countries/japan/",
        "/en/countries/%00/",
        "/en/countries/j%00/",
        "/en/instruments/%00/",
        "/en/instruments/i%00l/",
        "/en/instruments/nope/",
        "/en/centres/nope/",
        "/en/offices/nope/",
        "/fr/pays/zz/",
        "/sitemap-nope.xml",
        "/sitemap-labs.xml?p=abc",
        "/sitemap-labs.xml?p=99",
    ],
)
def test_unknown_entries_are_404(client, labs, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "target"),
    [("/en/countries/JP/", "/en/countries/jp/"), ("/fr/instruments/IRL/", "/fr/instruments/irl/")],
)
def test_upper_case_codes_redirect_to_lower_case(client, labs, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


SORTS = ["relevance", "name", "-start", "start", "country", "price"]
FORMATS = ["", "html", "csv", "json", "xml"]


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("words", ["", "common", "!!!", "robotique"])
@pytest.mark.parametrize(("path", "common"), [("/en/labs/", "the"), ("/fr/laboratoires/", "le")])
def test_every_order_and_format_with_any_words_is_an_answer_never_an_error(
    client, labs, path, common, words, sort, export_format
):
    words = common if words == "common" else words
    response = client.get(path, {"q": words, "sort": sort, "format": export_format})
    searched = words == "robotique"  # "", a common word or punctuation: nothing to search
    expected = set()
    if words and not searched:
        expected.add("q")
    if sort == "price" or (sort == "relevance" and not searched):
        expected.add("sort")
    if export_format == "xml":
        expected.add("format")

    if export_format in ("csv", "json"):
        assert response.status_code == (400 if expected else 200)
        return
    assert response.status_code == 200
    assert {p.parameter for p in response.context["problems"]} == expected
    # An order the page cannot apply gives way to the default one, which the page shows.
    default = "relevance" if searched else "name"
    shown = sort if "sort" not in expected else default
    assert response.context["sort"] == shown
    assert f'<option value="{shown}" selected>' in response.content.decode()
    assert response.context["page_obj"].paginator.count == (1 if searched else 2)
