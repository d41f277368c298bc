"""The labs index (laboratories.index) answers as the SQL of the same filters would, and
never answers for data that has changed since it was built."""

import datetime
import itertools

import pytest
from django.db import connection, transaction
from django.db.models import Count, Min
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from laboratories import index
from laboratories.filters import LabFilterSet, localized
from laboratories.generation import generate_labs
from laboratories.models import Institute, Lab, Partner, Theme
from tests.factories import LabFactory, PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)


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


# The same answers in SQL, to compare with -----------------------------------------------------


def sql_counts(filterset: LabFilterSet, facet: str):
    """What the facet ``facet`` counts, by the SQL of the same filters."""
    labs = filterset.filtered(without=facet)
    if facet in ("country", "region"):
        # A lab counts once in each of its countries, and once in each region of them.
        key = "country_id" if facet == "country" else "country__region"
        rows = (
            Lab.countries.through.objects.filter(lab_id__in=labs.values("pk"))
            .values(key)
            .annotate(count=Count("lab_id", distinct=True))
            .order_by()
        )
        return {row[key]: row["count"] for row in rows}
    if facet == "instrument":
        return labs.count_by_instrument()
    if facet == "theme":
        return {
            theme.pk: count
            for theme in Theme.objects.all()
            if (count := labs.with_theme(theme.pk).count())
        }
    if facet == "institute":
        return {
            institute.pk: count
            for institute in Institute.objects.all()
            if (count := labs.involving_institute(institute.pk).count())
        }
    if facet == "status":
        ended = labs.ended_on(TODAY).count()
        return {"active": labs.count() - ended, "ended": ended}
    return Lab.partners.through.objects.filter(
        lab_id__in=labs.values("pk"), partner__kind=Partner.Kind.COMPANY
    ).aggregate(count=Count("lab_id", distinct=True))["count"]


def sql_city_rows(labs, language: str) -> list[dict]:
    """One row per place of ``labs`` (same coordinates): its city name and how many labs."""
    return list(
        labs.exclude(latitude__isnull=True)
        .exclude(longitude__isnull=True)
        .order_by()
        .values("latitude", "longitude")
        .annotate(count=Count("pk"), label=Min(localized("city", language)))
        .order_by("-count", "label")
    )


def index_counts(filterset: LabFilterSet, facet: str):
    found = filterset.index
    mask = filterset.mask(without=facet)
    return {
        "country": lambda: found.count_by_country(mask),
        "region": lambda: found.count_by_region(mask),
        "instrument": lambda: found.count_by_instrument(mask),
        "theme": lambda: found.count_by_theme(mask),
        "institute": lambda: found.count_by_institute(mask),
        "status": lambda: found.count_by_status(mask, TODAY),
        "industry": lambda: found.count_with_industry(mask),
    }[facet]()


def filter_cases():
    theme = Theme.objects.order_by("pk").first()
    institute = Institute.objects.order_by("pk").first()
    busiest = Lab.countries.through.objects.values_list("country_id", flat=True)
    country = max(set(busiest), key=list(busiest).count).lower()
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
    ]
    yield from single
    for first, second in itertools.combinations(single[1:], 2):
        if not set(first) & set(second):
            yield {**first, **second}


FACETS = ["country", "region", "instrument", "theme", "institute", "status", "industry"]


def test_every_facet_count_is_the_sql_count(labs):
    for data in filter_cases():
        filterset = LabFilterSet(data, today=TODAY, language="fr")
        assert not filterset.problems, data
        for facet in FACETS:
            assert index_counts(filterset, facet) == sql_counts(filterset, facet), (data, facet)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("sort", ["name", "start", "-start", "country", "relevance"])
def test_every_order_is_the_sql_order(labs, language, sort):
    with translation.override(language):
        for data in [{}, {"region": "asia"}, {"instrument": "irl", "status": "active"}]:
            data = {**data, "sort": sort, "q": "laboratoire" if sort == "relevance" else ""}
            filterset = LabFilterSet(data, today=TODAY, language=language)
            expected = list(filterset.qs.values_list("pk", flat=True))
            assert [int(pk) for pk in filterset.result.ids] == expected, data
            assert expected, data


def test_a_page_of_the_result_reads_only_its_labs(labs):
    filterset = LabFilterSet({"region": "asia"}, today=TODAY, language="fr")
    expected = list(filterset.qs.values_list("pk", flat=True)[20:40])
    result = filterset.result
    with CaptureQueriesContext(connection) as queries:
        page = result[20:40]
    assert [lab.pk for lab in page] == expected
    assert len(queries) == 2  # the labs, their countries


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_map_places_are_those_of_the_sql(labs, language):
    with translation.override(language):
        for data in [{}, {"region": "europe"}, {"instrument": "irl"}]:
            filterset = LabFilterSet(data, today=TODAY, language=language)
            expected = sql_city_rows(filterset.qs, language)
            found = filterset.city_rows(10_000)
            assert sorted(found, key=lambda row: (row["latitude"], row["longitude"])) == sorted(
                expected, key=lambda row: (row["latitude"], row["longitude"])
            )
            assert [row["count"] for row in found] == sorted(
                (row["count"] for row in found), reverse=True
            )


def test_building_the_index_runs_the_same_queries_with_10_and_500_entries():
    generate_labs(count=10, seed=3)
    with CaptureQueriesContext(connection) as few:
        small = index.build(index.version())
    generate_labs(count=490, seed=4)
    with CaptureQueriesContext(connection) as many:
        large = index.build(index.version())
    assert (small.size, large.size) == (
        10 - Lab.objects.filter(is_published=False, pk__in=small.ids).count(),
        Lab.objects.published().count(),
    )
    assert len(few) == len(many) <= 10


# -- Never stale ------------------------------------------------------------------------------


def listed(data) -> set[int]:
    return {int(pk) for pk in LabFilterSet(data, today=TODAY, language="fr").result.ids}


def test_every_kind_of_write_is_seen_by_the_next_use():
    lab = LabFactory(countries=["JP"])
    assert lab.pk in listed({"country": ["jp"]})

    lab.countries.set(["KR"])  # a related list
    assert lab.pk not in listed({"country": ["jp"]})
    assert lab.pk in listed({"country": ["kr"]})

    Lab.objects.filter(pk=lab.pk).update(is_published=False)  # an UPDATE with no signal
    assert lab.pk not in listed({})

    Lab.objects.filter(pk=lab.pk).update(is_published=True)
    company = PartnerFactory(kind=Partner.Kind.COMPANY)
    assert lab.pk not in listed({"industry": "yes"})
    lab.partners.add(company)
    assert lab.pk in listed({"industry": "yes"})

    with connection.cursor() as cursor:  # raw SQL
        cursor.execute("DELETE FROM laboratories_lab_partners WHERE lab_id = %s", [lab.pk])
    assert lab.pk not in listed({"industry": "yes"})

    lab.delete()
    assert lab.pk not in listed({})


def test_a_version_is_never_given_twice_even_after_a_rollback():
    before = index.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        LabFactory()
        inside = index.version()
        raise RuntimeError
    assert index.version() == before
    LabFactory()
    after = index.version()
    assert len({before, inside, after}) == 3


def test_the_index_of_rolled_back_data_is_not_used_again():
    with pytest.raises(RuntimeError), transaction.atomic():
        lab = LabFactory(countries=["JP"])
        assert lab.pk in listed({"country": ["jp"]})
        raise RuntimeError
    assert listed({"country": ["jp"]}) == set()


# -- At start-up ------------------------------------------------------------------------------


# Committed for real (warm() closes the connection); the migrations' data kept for the
# tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_builds_its_index_before_its_first_request():
    generate_labs(count=20, seed=5)
    index._current = None
    index.warm()
    assert index._current is not None
    assert index._current.version == index.version()
    assert index._current.size == Lab.objects.published().count()


def test_a_worker_starts_even_when_the_database_does_not_answer(monkeypatch, caplog):
    from django.db import OperationalError

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(index, "current", unreachable)
    index.warm()
    assert "could not be built at start-up" in caplog.text
