"""Inside Django, on a bench database: the pages to measure and the facts of the database.

``python -m bench.prepare`` (DATABASE_URL set) prints JSON: the pages, the entries, the
lab the edit check renames. URLs are reversed in French, the default language, so they
follow the URL configuration of the tree under test; a page the tree does not have gets no
URL (reported as missing). Models are looked up by app label, never imported by module path,
so that the bench survives code moving between modules. The staff account is made by
``manage.py add_user`` (see run.py).
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
PER_PAGE = 20  # only for the deep page's number: clamped to the last page anyway
SITEMAP_LIMIT = 5000  # pairs (entry, language) per sitemap page, for the last page's number


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
    django.setup()
    from django.utils import translation

    with translation.override("fr"):
        print(json.dumps({"pages": pages(), "entries": entries(), "edit": edit_target()}))
    return 0


def model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def published_labs():
    return model("laboratories.Lab").objects.filter(is_published=True)


def entries() -> dict:
    return {
        "all": model("laboratories.Lab").objects.count(),
        "published": published_labs().count(),
    }


def filtered_labs():
    return published_labs().filter(countries=COUNTRY, instrument__code=INSTRUMENT)


def edit_target() -> dict | None:
    """The published lab the edit check renames (one the filtered list shows), and its page."""
    from django.urls import NoReverseMatch, reverse

    slug = filtered_labs().order_by("pk").values_list("slug", flat=True).first()
    if not slug:
        return None
    try:
        url = reverse("laboratories:detail", kwargs={"slug": slug})
    except NoReverseMatch:
        url = None
    return {"slug": slug, "url": url}


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
    """Pages in report order: key, label, URL (None when the tree has no such page), whether
    anonymous visitors see it (public), whether it needs the staff session, and whether it is
    a page the public page cache may keep (the sitemaps are public but not kept)."""
    from django.urls import NoReverseMatch, reverse

    names = url_names()

    def url(name, query="", **kwargs):
        # The name as given, else the same name in whatever namespace the tree now has.
        candidates = [name] + sorted(
            other for other in names if other.split(":")[-1] == name.split(":")[-1]
        )
        for candidate in candidates:
            try:
                return reverse(candidate, kwargs=kwargs) + (f"?{query}" if query else "")
            except NoReverseMatch:
                continue
        return None

    published = published_labs()
    count = published.count()
    deep = min(DEEP_PAGE, max(1, -(-count // PER_PAGE)))
    middle = published.order_by("pk").values_list("slug", flat=True)[count // 2] if count else ""
    instrument = (
        model("instruments.Instrument").objects.order_by("pk").values_list("code", flat=True)
    ).first()
    office = model("offices.Office").objects.order_by("pk").values_list("slug", flat=True).first()
    sitemap_last = max(1, -(-count * 2 // SITEMAP_LIMIT))
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
            f"filtered list: labs by country and instrument ({COUNTRY}, {INSTRUMENT}), "
            "with facet counts",
            url("laboratories:list", f"country={COUNTRY}&instrument={INSTRUMENT}"),
        ),
        ("labs_deep", f"labs list, page {deep:,}", url("laboratories:list", f"page={deep}")),
        ("lab", "a lab page", url("laboratories:detail", slug=middle) if middle else None),
        ("search", f"search ({SEARCH_TERMS})", url("search", f"q={SEARCH_TERMS}")),
        ("countries", "countries with the map", url("countries")),
        ("country", f"one country ({COUNTRY})", url("country", code=COUNTRY.lower())),
        ("centers", "research centres", url("laboratories:centers")),
        ("instruments", "instruments", url("instruments:list")),
        (
            "instrument",
            f"one instrument ({instrument})",
            url("instruments:detail", code=instrument.lower()) if instrument else None,
        ),
        ("offices", "offices", url("offices:list")),
        ("office", "one office", url("offices:detail", slug=office) if office else None),
        ("sitemap", "sitemap index", url("sitemap")),
        (
            "sitemap_labs",
            f"sitemap of labs, last page ({sitemap_last:,})",
            url("sitemap-section", section="labs")
            and url("sitemap-section", f"p={sitemap_last}", section="labs"),
        ),
    ]
    staff = [
        ("admin_labs", "staff admin, list of labs", url("admin:laboratories_lab_changelist")),
        (
            "stock_admin_labs",
            "stock Django admin, list of labs",
            url("bench_stock_admin:laboratories_lab_changelist"),
        ),
    ]
    # Pages the tree has but this database gives no example of.
    no_data = {"lab": not middle, "instrument": not instrument, "office": not office}
    return [
        {
            "key": key,
            "label": label,
            "url": address,
            "no_data": bool(no_data.get(key)),
            "staff": False,
            "public": key != "healthz",
            "page_cache": key != "healthz" and not key.startswith("sitemap"),
        }
        for key, label, address in public
    ] + [
        {
            "key": key,
            "label": label,
            "url": address,
            "staff": True,
            "public": False,
            "page_cache": False,
        }
        for key, label, address in staff
    ]


if __name__ == "__main__":
    sys.exit(main())
