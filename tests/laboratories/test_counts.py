"""The labs list counts in PostgreSQL: every facet, the total and the map agree with the
labs' relations, the stored facts follow every edit, and the unfiltered counts are shared
between requests until the content changes."""

import dataclasses
import datetime
import itertools

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import content
from demo.generation import generate_labs
from geography.models import Country
from laboratories.filters import PARTNER_CHOICES, LabFilterSet, localized
from laboratories.models import Institute, Lab, Partner, Theme
from tests.factories import (
    InstituteFactory,
    LabFactory,
    PartnerFactory,
    ThemeFactory,
    bulk_labs,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)
FACETS = [
    "country",
    "region",
    "instrument",
    "theme",
    "institute",
    "partner",
    "status",
    "industry",
]


@pytest.fixture
def labs():
    generate_labs(count=400, seed=11)
    # Some entries the public never sees, and some with missing facts.
    Lab.objects.filter(pk__in=Lab.objects.order_by("pk").values("pk")[:25]).update(
        is_published=False
    )
    Lab.objects.filter(pk__in=Lab.objects.order_by("-pk").values("pk")[:15]).update(
        latitude=None, start_date=None
    )
    return Lab.objects.published()


# The same filters written on the relations (not on the stored facts), to compare with -----


def through(name, **conditions):
    return Exists(getattr(Lab, name).through.objects.filter(lab_id=OuterRef("pk"), **conditions))


def reference_labs(data: dict, *, without: str | None = None):
    """The published labs matching ``data`` (but the filter ``without``), from relations."""
    labs = Lab.objects.published()
    for name, value in data.items():
        if name == without:
            continue
        if name == "country":
            labs = labs.filter(through("countries", country_id__in=[c.upper() for c in value]))
        elif name == "region":
            labs = labs.filter(through("countries", country__region=value))
        elif name == "instrument":
            labs = labs.filter(instrument__code=value.upper())
        elif name == "institute":
            institute = Institute.objects.get(code=value.upper())
            labs = labs.filter(
                Q(lead_institute=institute) | through("other_institutes", institute=institute)
            )
        elif name == "theme":
            labs = labs.filter(through("themes", theme__slug=value))
        elif name == "status":
            ended = Q(ends_on__lt=TODAY)
            labs = labs.filter(ended if value == "ended" else ~ended)
        elif name == "partner":
            labs = labs.filter(through("partners", partner__slug=value))
        elif name == "industry":
            labs = labs.filter(through("partners", partner__kind=Partner.Kind.COMPANY))
        elif name == "q":
            labs = labs.search(value, "fr")
    return labs


def reference_counts(data: dict, facet: str) -> dict[str, int]:
    """What the facet ``facet`` counts on the page of ``data``: choice → labs."""
    labs = reference_labs(data, without=facet)
    ids = labs.values("pk")
    if facet in ("country", "region"):
        key = "country_id" if facet == "country" else "country__region"
        rows = (
            Lab.countries.through.objects.filter(lab_id__in=ids)
            .values(key)
            .annotate(count=Count("lab_id", distinct=True))
            .order_by()
        )
        return {row[key].lower(): row["count"] for row in rows}
    if facet == "instrument":
        rows = labs.order_by().values("instrument__code").annotate(count=Count("pk"))
        return {row["instrument__code"].lower(): row["count"] for row in rows}
    if facet == "theme":
        rows = (
            Lab.themes.through.objects.filter(lab_id__in=ids)
            .values("theme__slug")
            .annotate(count=Count("lab_id", distinct=True))
            .order_by()
        )
        return {row["theme__slug"]: row["count"] for row in rows}
    if facet == "partner":
        # The page lists the partners of the most labs (ties: the oldest partner first).
        rows = (
            Lab.partners.through.objects.filter(lab_id__in=ids)
            .values("partner_id", "partner__slug")
            .annotate(count=Count("lab_id", distinct=True))
            .order_by("-count", "partner_id")
        )
        counts = {row["partner__slug"]: row["count"] for row in rows}
        shown = list(counts)[:PARTNER_CHOICES] + ([data["partner"]] if "partner" in data else [])
        return {slug: counts.get(slug, 0) for slug in shown}
    if facet == "institute":
        return {
            institute.code.lower(): count
            for institute in Institute.objects.all()
            if (
                count := labs.filter(
                    Q(lead_institute=institute) | through("other_institutes", institute=institute)
                ).count()
            )
        }
    if facet == "status":
        ended = labs.filter(ends_on__lt=TODAY).count()
        return {"active": labs.count() - ended, "ended": ended}
    return {"yes": labs.filter(through("partners", partner__kind=Partner.Kind.COMPANY)).count()}


def page_counts(filterset: LabFilterSet, counts, facet: str) -> dict[str, int]:
    found = {f.name: f for f in filterset.facets(counts)}[facet]
    return {choice.value: choice.count for choice in found.choices if choice.count}


def reference_places(labs, language: str) -> list[dict]:
    return list(
        labs.exclude(latitude__isnull=True)
        .exclude(longitude__isnull=True)
        .order_by()
        .values("latitude", "longitude")
        .annotate(count=Count("pk"), label=Min(localized("city", language)))
    )


def filter_cases():
    theme = Theme.objects.order_by("pk").first()
    institute = Institute.objects.order_by("pk").first()
    busiest = Lab.countries.through.objects.values_list("country_id", flat=True)
    country = max(set(busiest), key=list(busiest).count).lower()
    partners = list(Lab.partners.through.objects.values_list("partner__slug", flat=True))
    partner = max(sorted(set(partners)), key=partners.count)
    single = [
        {},
        {"country": [country]},
        {"country": [country, "us", "br"]},
        {"region": "asia"},
        {"instrument": "irl"},
        {"institute": institute.code.lower()},
        {"theme": theme.slug},
        {"status": "ended"},
        {"status": "active"},
        {"industry": "yes"},
        {"q": "laboratoire"},
        {"partner": partner},
    ]
    yield from single
    for first, second in itertools.combinations(single[1:], 2):
        if not set(first) & set(second):
            yield {**first, **second}
    yield {"country": [country], "instrument": "irl", "status": "active", "q": "laboratoire"}


def test_every_facet_count_the_total_and_the_map_agree_with_the_relations(labs):
    for data in filter_cases():
        filterset = LabFilterSet(data, today=TODAY, language="fr")
        assert not filterset.problems, data
        counts = filterset.counts()
        assert counts.total == reference_labs(data).count() == filterset.qs.count(), data
        for facet in FACETS:
            assert page_counts(filterset, counts, facet) == {
                key: value for key, value in reference_counts(data, facet).items() if value
            }, (data, facet)
        # The map: labs per country given every filter, the country one too.
        expected = reference_counts(data, "country")
        if "country" in data:
            matching = reference_labs(data).values("pk")
            rows = (
                Lab.countries.through.objects.filter(lab_id__in=matching)
                .values("country_id")
                .annotate(count=Count("lab_id"))
                .order_by()
            )
            expected = {row["country_id"].lower(): row["count"] for row in rows}
        assert {code.lower(): n for code, n in counts.countries.items()} == expected, data


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_map_places_are_those_of_the_matching_labs(labs, language):
    with translation.override(language):
        for data in [{}, {"region": "europe"}, {"instrument": "irl", "status": "active"}]:
            counts = LabFilterSet(data, today=TODAY, language=language).counts()
            expected = reference_places(reference_labs(data), language)
            key = lambda row: (row["latitude"], row["longitude"])  # noqa: E731
            assert sorted(counts.cities, key=key) == sorted(expected, key=key), data
            assert [row["count"] for row in counts.cities] == sorted(
                (row["count"] for row in counts.cities), reverse=True
            )


@pytest.mark.parametrize("sort", ["name", "start", "-start", "country", "relevance"])
def test_the_pages_of_every_order_hold_each_match_once(client, labs, sort):
    data = {"region": "asia", "sort": sort, "q": "laboratoire"}
    expected = set(reference_labs(data).values_list("pk", flat=True))
    assert len(expected) > 20
    seen = []
    for number in range(1, len(expected) // 20 + 2):
        response = client.get("/fr/laboratoires/", {**data, "page": number})
        assert response.context["problems"] == []
        seen += [lab.pk for lab in response.context["labs"]]
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_a_page_reads_only_its_own_labs(labs):
    filterset = LabFilterSet({"region": "asia"}, today=TODAY, language="fr")
    expected = list(filterset.qs.values_list("pk", flat=True)[20:40])
    with CaptureQueriesContext(connection) as queries:
        page = list(filterset.page_labs()[20:40])
    assert [lab.pk for lab in page] == expected
    assert len(queries) == 1
    assert "LIMIT 20 OFFSET 20" in queries[0]["sql"]
    assert "search_vector" not in queries[0]["sql"].split(" FROM ")[0]


def test_a_filtered_page_counts_everything_in_one_statement(client, labs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fr/laboratoires/?country=jp&instrument=irl&status=active")
    assert response.status_code == 200
    counting = [q for q in queries if "UNION ALL" in q["sql"]]
    assert len(counting) == 1
    assert not [q for q in queries if 'COUNT(*) AS "__count"' in q["sql"]]  # no second count


# -- The stored facts follow every edit ----------------------------------------------------------


def listed(query: str) -> set[int]:
    labs = LabFilterSet(as_data(query), today=TODAY, language="fr").qs
    return set(labs.values_list("pk", flat=True))


def as_data(query: str) -> dict:
    data = {}
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        data.setdefault(name, []).append(value)
    return data


def test_the_facts_follow_the_edits_of_a_lab_and_of_what_it_refers_to():
    lab = LabFactory(countries=["JP"])
    assert lab.pk in listed("country=jp") and lab.pk in listed("region=asia")

    lab.countries.set(["BR"])
    assert lab.pk not in listed("country=jp") and lab.pk in listed("region=latin-america")

    brazil = Country.objects.get(pk="BR")
    brazil.region = "europe"  # a country moved to another region
    brazil.save()
    assert lab.pk in listed("region=europe")

    other = InstituteFactory(code="INC")
    assert lab.pk not in listed("institute=inc")
    lab.other_institutes.add(other)
    assert lab.pk in listed("institute=inc")
    lab.lead_institute = InstituteFactory(code="INSMI")
    lab.save()
    assert lab.pk in listed("institute=insmi") and lab.pk not in listed("institute=insis")
    other.labs.remove(lab)  # from the other side of the relation
    assert lab.pk not in listed("institute=inc")
    lab.other_institutes.add(other)
    other.delete()
    assert Lab.objects.get(pk=lab.pk).institute_ids == [lab.lead_institute_id]

    partner = PartnerFactory(kind=Partner.Kind.UNIVERSITY)
    lab.partners.add(partner)
    assert lab.pk not in listed("industry=yes")
    partner.kind = Partner.Kind.COMPANY
    partner.save()
    assert lab.pk in listed("industry=yes")
    partner.delete()
    assert lab.pk not in listed("industry=yes")

    lab.partners.add(partner := PartnerFactory(slug="tohoku"))
    assert lab.pk in listed("partner=tohoku")
    partner.labs.remove(lab)  # from the other side of the relation
    assert lab.pk not in listed("partner=tohoku")
    lab.partners.add(partner)
    partner.delete()
    assert Lab.objects.get(pk=lab.pk).partner_ids == []

    theme = ThemeFactory(slug="glaciologie")
    theme.labs.add(lab)
    assert lab.pk in listed("theme=glaciologie")
    theme.delete()
    assert Lab.objects.get(pk=lab.pk).theme_ids == []


# -- Unfiltered counts: once per content version, for every worker -------------------------------


def counting_statements(queries) -> int:
    return len([q for q in queries if "UNION ALL" in q["sql"]])


def content_read(monkeypatch, *, settled: bool):
    """The content version as it is, said settled or not (other databases of the server,
    the tests of other projects, run transactions that keep it unsettled for a while)."""
    read = content.read
    monkeypatch.setattr(
        content, "read", lambda using="default": dataclasses.replace(read(using), settled=settled)
    )


# Committed for real, each write its own version. The migrations' data is kept for the
# tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unfiltered_counts_are_counted_once_per_content_version(client, monkeypatch):
    content_read(monkeypatch, settled=True)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/en/").context["lab_count"] == 0
    for path in ["/en/", "/en/countries/", "/en/instruments/", "/en/labs/"]:
        with CaptureQueriesContext(connection) as again:
            response = client.get(path)
        assert response.status_code == 200
        assert counting_statements(again) == 0, path
    assert counting_statements(first) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_writer_counts_again_after_its_commit_so_that_no_visitor_waits(client, monkeypatch):
    content_read(monkeypatch, settled=True)
    # Outside a request (a command, a shell), at once after the commit.
    with CaptureQueriesContext(connection) as writing, transaction.atomic():
        LabFactory(countries=["JP"])
    assert counting_statements(writing) >= len(settings.LANGUAGES)
    with CaptureQueriesContext(connection) as reading:
        assert client.get("/en/").context["lab_count"] == 1
        assert client.get("/fr/").context["lab_count"] == 1
    assert counting_statements(reading) == 0

    # A write the ORM does not see (psql, COPY), or made in autocommit mode: the first
    # reader counts, once.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE laboratories_lab SET is_published = false")
    with CaptureQueriesContext(connection) as reading:
        assert client.get("/en/").context["lab_count"] == 0
        assert client.get("/en/countries/").context["total"] == 0
    assert counting_statements(reading) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_writer_waits_for_its_version_to_settle_before_counting(client, monkeypatch):
    """Right after the commit an older transaction may still run (an analyze, another
    editor): the writer waits for it to end rather than leave the count to a visitor."""
    read = content.read
    answers = iter([False, False, False])  # unsettled for the first three reads

    def settling(using="default"):
        return dataclasses.replace(read(using), settled=next(answers, True))

    monkeypatch.setattr(content, "read", settling)
    with transaction.atomic():
        LabFactory(countries=["JP"])
    assert next(answers, "done") == "done"  # waited through every unsettled read
    with CaptureQueriesContext(connection) as reading:
        assert client.get("/en/").context["lab_count"] == 1
        assert client.get("/fr/").context["lab_count"] == 1
    assert counting_statements(reading) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_of_many_writes_counts_once_after_its_commit(monkeypatch):
    """A bulk load (load_demo saves hundreds of rows in one transaction) refreshes once."""
    from core import refresh

    runs = []
    monkeypatch.setattr(refresh, "_tasks", [lambda: runs.append(len(runs))])
    with transaction.atomic():
        for _ in range(5):
            LabFactory(countries=["JP"])
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
            LabFactory(countries=["BR"])
            raise RuntimeError
        assert runs == []  # not before the commit
    assert runs == [0]
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            LabFactory(countries=["BR"])  # its scheduling goes with the savepoint...
            raise RuntimeError
        LabFactory(countries=["JP"])  # ...so this write schedules again
    assert runs == [0, 1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_in_a_request_is_counted_after_its_response(client, monkeypatch):
    """An admin save: the editor's response is not held by the count, which runs once the
    response is sent (request_finished), in the editor's process."""
    from core import refresh

    content_read(monkeypatch, settled=True)
    refresh.request_started()
    with transaction.atomic():  # as every request is
        LabFactory(countries=["JP"])
    assert refresh._request.pending is True  # scheduled, not run: the response is not sent
    with CaptureQueriesContext(connection) as finishing:
        refresh.request_finished()
    assert counting_statements(finishing) == len(settings.LANGUAGES)
    with CaptureQueriesContext(connection) as reading:
        assert client.get("/en/").context["lab_count"] == 1
    assert counting_statements(reading) == 0


def test_unfiltered_counts_are_not_kept_while_a_version_is_not_settled(client, monkeypatch):
    content_read(monkeypatch, settled=False)
    LabFactory(countries=["JP"])
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/").context["lab_count"] == 1
        assert counting_statements(queries) == 1


def test_the_list_reads_no_lab_beyond_its_page(client):
    bulk_labs(45)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fr/laboratoires/?page=2")
    assert len(response.context["labs"]) == 20
    rows = [q["sql"] for q in queries if q["sql"].startswith('SELECT "laboratories_lab"."id"')]
    assert rows and all("LIMIT 20" in sql for sql in rows)
