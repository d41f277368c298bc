"""Every public page and every admin list runs no more queries with hundreds of entries than
with a few, and no more than its bound.

Two worlds, each built once for the module, measured with a few entries then grown by hundreds
(``measured``): the generated one (``World``, labs from ``generate_labs``) for every page by
URL name (``PUBLIC_PAGES``) and every admin list (``ADMIN_LISTS``), which must run the same
queries whatever the size; the hand-made public site (``tests.public_site``) for the pages
with a bound of their own (``QUERY_BOUNDS``). A public URL missing from ``PUBLIC_PAGES``
fails ``test_every_public_page_is_measured``, so a new page is measured as soon as it exists:
add its name and the cases to measure (URL arguments, query string).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

from accounts.roles import STAFF_GROUP
from core.content import content_app_labels
from demo.generation import generate_labs
from instruments.models import Call, Instrument
from laboratories.models import Institute, Lab, Partner, Theme
from tests.factories import (
    LabFactory,
    OfficeFactory,
    PartnerFactory,
    ResearchCenterFactory,
    UserFactory,
)
from tests.public_site import grow_public_site, public_site

# The measures are taken once for the module (``measured``); django_db sets the database up.
# The queries a page runs depend on whether the content version is settled: on every
# transaction running on the server.
pytestmark = [pytest.mark.serial, pytest.mark.django_db]

FEW, MANY = 10, 500
PUBLIC_MAX_QUERIES = 20
ADMIN_MAX_QUERIES = 16

# URL name: [(URL arguments, query string)]. "<lab>", "<centre>" and "<office>" stand for
# the slug of an entry of the data below.
PUBLIC_PAGES = {
    "home": [({}, "")],
    "laboratories:list": [
        ({}, ""),
        ({}, "country=JP"),
        ({}, "country=JP&instrument=IRL"),
        ({}, "region=asia&institute=INSIS&theme=robotics&status=active&industry=yes"),
        ({}, "country=nowhere"),
        ({}, "country=JP&format=csv"),
        ({}, "country=JP&format=json"),
    ],
    "laboratories:detail": [({"slug": "<lab>"}, "")],
    "countries": [({}, "")],
    "country": [({"code": "jp"}, "")],
    "laboratories:centers": [({}, "")],
    "laboratories:center": [({"slug": "<centre>"}, "")],
    "laboratories:partner": [({"slug": "<partner>"}, "")],
    "instruments:list": [({}, "")],
    "instruments:detail": [({"code": "irl"}, "")],
    "offices:list": [({}, "")],
    "offices:detail": [({"slug": "<office>"}, "")],
    "search": [({}, "q=tokyo"), ({}, "q=pekin robotique")],
    "accessibility": [({}, "")],
    "legal-notice": [({}, "")],
    "personal-data": [({}, "")],
    "contact": [({}, "")],
    "site-map": [({}, "")],
    "report-error": [({"kind": "lab", "pk": "<lab pk>"}, "")],
    "calls": [({}, "")],
    "embed-help": [({}, ""), ({}, "country=jp&institute=insis")],
    "laboratories:feed": [({}, "")],
    "laboratories:feed-country": [({"code": "jp"}, "")],
    "laboratories:feed-institute": [({"code": "insis"}, "")],
    "laboratories:feed-instrument": [({"code": "irl"}, "")],
    "calls-ics": [({}, "")],
    "call-ics": [({"slug": "<call>"}, "")],
}

ADMIN_LISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
    if model._meta.app_label in content_app_labels()
)


@dataclass
class World:
    """The entries the measured pages show, grown from FEW to MANY entries."""

    lab: Lab
    centre: object
    office: object
    call: object

    @classmethod
    def create(cls):
        generate_labs(count=FEW - 1, seed=1)
        # One entry every filter above finds, so that no page is empty with few entries.
        LabFactory(
            instrument=Instrument.objects.get(code="IRL"),
            lead_institute=Institute.objects.get(code="INSIS"),
            countries=["JP"],
            start_date=datetime.date.today(),
        ).themes.add(Theme.objects.get(slug="robotics"))
        Lab.objects.latest("pk").partners.add(PartnerFactory(kind=Partner.Kind.COMPANY))
        labs = Lab.objects.published().order_by("pk")
        centre = ResearchCenterFactory()
        centre.labs.set(labs[:5])
        centre.university.labs.set(labs[:5])
        office = OfficeFactory()
        office.covered_countries.set(["JP", "KR"])
        call = Call.objects.create(
            slug="iea",
            instrument=Instrument.objects.get(code="IRL"),
            title="Call",
            opens_month=6,
            closes_month=9,
        )
        call.countries.set(["JP"])
        return cls(lab=labs.first(), centre=centre, office=office, call=call)

    def grow(self):
        generate_labs(count=MANY - FEW, seed=2)
        self.centre.labs.set(Lab.objects.published().order_by("pk")[:100])
        self.centre.university.labs.set(Lab.objects.published().order_by("pk")[:100])
        for _ in range(5):
            OfficeFactory().covered_countries.set(["US", "CA", "MX"])
        self.office.covered_countries.set(["JP", "KR", "CN", "TW", "VN", "TH"])
        for n in range(20):
            Call.objects.create(
                slug=f"call-{n}",
                instrument=self.call.instrument,
                title=f"Call {n}",
                opens_month=1 + n % 12,
                closes_month=1 + (n + 2) % 12,
            ).countries.set(["US", "CA"])

    def url(self, name, kwargs, query):
        slugs = {
            "<lab>": self.lab.slug,
            "<centre>": self.centre.slug,
            "<office>": self.office.slug,
            "<call>": self.call.slug,
            "<partner>": self.centre.university.slug,
            "<lab pk>": self.lab.pk,
        }
        kwargs = {key: slugs.get(value, value) for key, value in kwargs.items()}
        return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


# Pages and the most queries each may run, with a few entries or with hundreds (two of them
# are the savepoint of the request's transaction), measured on the hand-made public site.
# Pages with the labs' unfiltered counts read the content version and the shared cache (a
# database table without Redis), then, as here (the writes are not committed, so nothing is
# kept), count.
QUERY_BOUNDS = {
    "/fr/": 12,  # with the facts of the source documents (one query)
    "/en/labs/": 16,
    "/en/labs/?country=jp&country=kr&theme=robotique&status=active&q=laboratoire&sort=country": 18,
    "/fr/laboratoires/jrl/": 11,  # with its sources and the structures continuing it
    "/fr/pays/": 10,  # with the open offices' countries and the facts (one query each)
    "/fr/pays/jp/": 11,
    "/fr/instruments/": 10,  # with the facts
    "/fr/instruments/irl/": 6,
    "/fr/instruments/irc/": 5,
    "/fr/centres/": 4,
    "/fr/centres/tokyo/": 9,  # with its sources
    "/fr/bureaux/": 8,  # with the facts
    "/fr/bureaux/tokyo/": 5,  # with its sources
    "/fr/recherche/?q=laboratoire": 10,
    "/sitemap.xml": 8,  # one count per section
    "/sitemap-labs.xml": 4,
}


@dataclass
class Site:
    """The hand-made public site, grown by hundreds of entries of every kind."""

    lab: Lab

    @classmethod
    def create(cls):
        return cls(lab=public_site())

    def grow(self):
        grow_public_site(self.lab)


@dataclass
class Measure:
    status: int
    queries: list[str]

    def __len__(self):
        return len(self.queries)


def measure(client, url) -> Measure:
    client.get(url)  # once first: what a process looks up once (translations, ...)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return Measure(response.status_code, [query["sql"] for query in queries])


def public_cases():
    for name, name_cases in PUBLIC_PAGES.items():
        for kwargs, query in name_cases:
            yield name, kwargs, query


def admin_cases():
    return [*ADMIN_LISTS, "admin:laboratories_lab_changelist?q=tokyo"]


def measure_world(world_class, cases):
    """{case: (Measure with a few entries, Measure with hundreds)}, the world rolled back.

    ``cases``: {case: (client name, URL maker)}; the URL maker gets the world."""
    with transaction.atomic():
        world = world_class.create()
        staff = UserFactory(username="query-bounds-staff")
        staff.groups.add(Group.objects.get(name=STAFF_GROUP))
        clients = {"visitor": Client(), "staff": Client()}
        clients["staff"].force_login(staff)
        few = {case: measure(clients[who], url(world)) for case, (who, url) in cases.items()}
        world.grow()
        many = {case: measure(clients[who], url(world)) for case, (who, url) in cases.items()}
        transaction.set_rollback(True)
    return {case: (few[case], many[case]) for case in cases}


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """The queries of every case below, each world built and grown once."""
    generated = {
        ("public", name, repr(kwargs), query): (
            "visitor",
            lambda world, name=name, kwargs=kwargs, query=query: world.url(name, kwargs, query),
        )
        for name, kwargs, query in public_cases()
    }
    generated |= {
        ("admin", case): (
            "staff",
            lambda world, case=case: world.url(case.partition("?")[0], {}, case.partition("?")[2]),
        )
        for case in admin_cases()
    }
    hand_made = {
        ("bounded", path): ("visitor", lambda _site, path=path: path) for path in QUERY_BOUNDS
    }
    with (
        django_db_blocker.unblock(),
        translation.override("fr"),
        override_settings(PORTAL_PAGE_CACHE_SECONDS=0),
    ):
        return measure_world(World, generated) | measure_world(Site, hand_made)


def public_url_names(resolver=None, namespace=""):
    """Names of the URLs under the language prefix (/fr/, /en/)."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if resolver is None and not isinstance(pattern.pattern, LocalePrefixPattern):
                continue
            names |= public_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and resolver is not None:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_public_page_is_measured():
    assert public_url_names() - set(PUBLIC_PAGES) == set()


# Found by these tests in pages other issues rewrite; strict, so a fix shows as XPASS.
KNOWN_PUBLIC_PROBLEMS: dict[str, str] = {}


def cases(pages, known):
    for name, name_cases in pages.items():
        for kwargs, query in name_cases:
            marks = [pytest.mark.xfail(reason=known[name], strict=True)] if name in known else []
            yield pytest.param(name, kwargs, query, marks=marks)


def same_queries(url, few, many, bound):
    assert few.status == many.status == 200, url
    assert len(few) == len(many), (
        f"{url}: {len(few)} queries with {FEW} entries, {len(many)} with {MANY}:\n"
        + "\n".join(many.queries)
    )
    assert len(many) <= bound, f"{url}: {len(many)} queries:\n" + "\n".join(many.queries)


@pytest.mark.parametrize(
    ("name", "kwargs", "query"), list(cases(PUBLIC_PAGES, KNOWN_PUBLIC_PROBLEMS))
)
def test_a_public_page_runs_the_same_queries_with_10_and_500_entries(measured, name, kwargs, query):
    few, many = measured["public", name, repr(kwargs), query]
    same_queries(f"{name} {kwargs} ?{query}", few, many, PUBLIC_MAX_QUERIES)


KNOWN_ADMIN_PROBLEMS: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_ADMIN_PROBLEMS[name], strict=True))
        if name in KNOWN_ADMIN_PROBLEMS
        else name
        for name in admin_cases()
    ],
)
def test_an_admin_list_runs_the_same_queries_with_10_and_500_entries(measured, name):
    few, many = measured["admin", name]
    same_queries(name, few, many, ADMIN_MAX_QUERIES)


@pytest.mark.parametrize(("path", "bound"), QUERY_BOUNDS.items())
def test_each_page_runs_a_bounded_number_of_queries_whatever_its_size(measured, path, bound):
    few, many = measured["bounded", path]
    assert few.status == many.status == 200, path
    assert len(few) <= bound, f"{path}: {len(few)} queries:\n" + "\n".join(few.queries)
    assert len(many) <= bound, f"{path}: {len(many)} queries:\n" + "\n".join(many.queries)
    assert len(many) <= len(few), (
        f"{path}: {len(few)} queries with a few entries, {len(many)} with hundreds:\n"
        + "\n".join(many.queries)
    )
