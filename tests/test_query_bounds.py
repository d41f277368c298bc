"""Every public page and every admin list runs as many queries with 500 entries as with 10.

``PUBLIC_PAGES`` lists the pages by URL name; a public URL missing from it fails
``test_every_public_page_is_measured``, so a new page is measured as soon as it exists:
add its name and the cases to measure (URL arguments, query string). A name listed before
its page exists (the search, built in another branch) is skipped until it does.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern

from core.content import content_app_labels
from demo.generation import generate_labs
from instruments.models import Instrument
from laboratories.models import Institute, Lab, Partner, Theme
from tests.factories import LabFactory, OfficeFactory, PartnerFactory, ResearchCenterFactory

pytestmark = pytest.mark.django_db

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
    "instruments:list": [({}, "")],
    "instruments:detail": [({"code": "irl"}, "")],
    "offices:list": [({}, "")],
    "offices:detail": [({"slug": "<office>"}, "")],
    "search": [({}, "q=tokyo"), ({}, "q=pekin robotique")],
    "accessibility": [({}, "")],
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
        office = OfficeFactory()
        office.covered_countries.set(["JP", "KR"])
        return cls(lab=labs.first(), centre=centre, office=office)

    def grow(self):
        generate_labs(count=MANY - FEW, seed=2)
        self.centre.labs.set(Lab.objects.published().order_by("pk")[:100])
        for _ in range(5):
            OfficeFactory().covered_countries.set(["US", "CA", "MX"])
        self.office.covered_countries.set(["JP", "KR", "CN", "TW", "VN", "TH"])

    def url(self, name, kwargs, query):
        slugs = {"<lab>": self.lab.slug, "<centre>": self.centre.slug, "<office>": self.office.slug}
        kwargs = {key: slugs.get(value, value) for key, value in kwargs.items()}
        return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


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


@pytest.mark.parametrize(
    ("name", "kwargs", "query"), list(cases(PUBLIC_PAGES, KNOWN_PUBLIC_PROBLEMS))
)
def test_a_public_page_runs_the_same_queries_with_10_and_500_entries(client, name, kwargs, query):
    if name not in public_url_names():
        pytest.skip(f"no page named {name} in this tree")
    world = World.create()
    url = world.url(name, kwargs, query)
    few = count_queries(client, url)

    world.grow()
    many = count_queries(client, url)

    assert few == many, f"{url}: {few} queries with {FEW} entries, {many} with {MANY}"
    assert many <= PUBLIC_MAX_QUERIES, f"{url}: {many} queries"


KNOWN_ADMIN_PROBLEMS: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_ADMIN_PROBLEMS[name], strict=True))
        if name in KNOWN_ADMIN_PROBLEMS
        else name
        for name in ADMIN_LISTS
    ]
    + ["admin:laboratories_lab_changelist?q=tokyo"],
)
def test_an_admin_list_runs_the_same_queries_with_10_and_500_entries(client, staff_user, name):
    name, _, query = name.partition("?")
    client.force_login(staff_user)
    world = World.create()
    url = world.url(name, {}, query)
    few = count_queries(client, url)

    world.grow()
    many = count_queries(client, url)

    assert few == many, f"{url}: {few} queries with {FEW} entries, {many} with {MANY}"
    assert many <= ADMIN_MAX_QUERIES, f"{url}: {many} queries"
