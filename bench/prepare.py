"""Inside Django, on a bench database: the staff account and the pages to measure.

``python -m bench.prepare`` (DATABASE_URL set, BENCH_PASSWORD in the environment) creates
or updates the ``bench-staff`` account and prints the pages as JSON. URLs are reversed in
French, the default language, so they follow the URL configuration of the tree under test.
"""

import json
import os
import sys

import django

STAFF_USERNAME = "bench-staff"
COUNTRY = "JP"
INSTRUMENT = "IRL"
SEARCH_TERMS = "pekin"  # accent-insensitive: finds Pékin
DEEP_PAGE = 1000


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
    django.setup()
    from django.utils import translation

    ensure_staff(os.environ["BENCH_PASSWORD"])
    with translation.override("fr"):
        print(json.dumps({"pages": pages(), "entries": entries()}))
    return 0


def ensure_staff(password: str) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import STAFF_GROUP

    user, _created = get_user_model().objects.get_or_create(username=STAFF_USERNAME)
    user.is_staff = True
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=STAFF_GROUP))


def entries() -> dict:
    from laboratories.models import Lab

    return {"all": Lab.objects.count(), "published": Lab.objects.published().count()}


def url_names(resolver=None, namespace="") -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def pages() -> list[dict]:
    """Pages in report order: key, label, URL (None when the tree has no such page)."""
    from django.urls import NoReverseMatch, reverse

    from laboratories.models import Lab

    def url(name, query="", **kwargs):
        try:
            return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
        except NoReverseMatch:
            return None

    published = Lab.objects.published()
    per_page = 50
    last_page = max(1, -(-published.count() // per_page))
    deep = min(DEEP_PAGE, last_page)
    middle = published.order_by("pk").values_list("slug", flat=True)[published.count() // 2]
    search_names = sorted(name for name in url_names() if name.split(":")[-1] == "search")
    search = url(search_names[0], f"q={SEARCH_TERMS}") if search_names else None
    public = [
        ("healthz", "/healthz", "/healthz"),
        ("home", "home", url("home")),
        ("labs", "labs list", url("laboratories:list")),
        (
            "labs_country",
            f"labs in one country ({COUNTRY})",
            url("laboratories:list", f"country={COUNTRY}"),
        ),
        (
            "labs_facets",
            f"labs by country and instrument ({COUNTRY}, {INSTRUMENT}), with facet counts",
            url("laboratories:list", f"country={COUNTRY}&instrument={INSTRUMENT}"),
        ),
        ("labs_deep", f"labs list, page {deep:,}", url("laboratories:list", f"page={deep}")),
        ("lab", "a lab page", url("laboratories:detail", slug=middle)),
        ("search", f"search ({SEARCH_TERMS})", search),
        ("countries", "countries with the map", url("countries")),
    ]
    staff = [
        ("admin_labs", "staff admin, list of labs", url("admin:laboratories_lab_changelist")),
        (
            "stock_admin_labs",
            "stock Django admin, list of labs",
            url("bench_stock_admin:laboratories_lab_changelist"),
        ),
    ]
    return [
        {"key": key, "label": label, "url": address, "staff": False, "public": key != "healthz"}
        for key, label, address in public
    ] + [
        {"key": key, "label": label, "url": address, "staff": True, "public": False}
        for key, label, address in staff
    ]


if __name__ == "__main__":
    sys.exit(main())
