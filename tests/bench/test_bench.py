import datetime

import pytest

from bench import report
from bench.run import percentile


@pytest.mark.django_db
def test_the_stock_admin_is_not_served_unless_the_bench_asks(client, staff_user):
    client.force_login(staff_user)

    assert client.get("/bench-stock-admin/laboratories/lab/").status_code == 404


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))

    assert [percentile(values, share) for share in (0.5, 0.95, 0.99)] == [50, 95, 99]
    assert percentile([], 0.5) is None


def figures(rps, p99=20.0, server_p95=5.0, errors=0):
    return {
        "status": 200,
        "rps": rps,
        "errors": errors,
        "p50_ms": p99 / 2,
        "p95_ms": p99 * 0.9,
        "p99_ms": p99,
        "server_p50_ms": server_p95 / 2,
        "server_p95_ms": server_p95,
        "server_p99_ms": server_p95 * 1.2,
    }


def page(key, public=True, staff=False):
    return {"key": key, "label": key, "url": f"/{key}", "public": public, "staff": staff}


RUN = {
    "size": 100_000,
    "started": datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
    "load_before": (0.5, 0.4, 0.3),
    "build_seconds": 60,
    "postgres": "18.4",
    "entries": {"all": 100_000, "published": 96_000},
    "pages": [
        page("healthz", public=False),
        page("labs"),
        page("labs_facets"),
        page("labs_deep"),
        page("search"),
        page("admin_labs", public=False, staff=True),
        page("stock_admin_labs", public=False, staff=True),
    ],
    "modes": {
        "uncached": {
            "healthz": figures(1000),
            "labs": figures(100),
            "labs_facets": figures(60),
            "labs_deep": figures(40, p99=300, server_p95=30),
            "search": figures(80, server_p95=60),
            "admin_labs": figures(30),
            "stock_admin_labs": figures(10),
        },
        "cached": {
            "healthz": figures(1000),
            "labs": {**figures(700), "cache": "hit"},
            "labs_facets": {**figures(400, errors=2), "cache": "hit"},
            "labs_deep": {**figures(700), "cache": None},
            "search": {**figures(700), "cache": "hit"},
        },
    },
}


def verdicts(markdown):
    rows = markdown.split("## Targets")[1].split("\n## ")[0].splitlines()
    return {row.split(" | ")[0].lstrip("| "): row.rsplit(" | ", 1)[1] for row in rows[4:] if row}


def test_the_report_says_which_targets_hold_and_by_how_much():
    markdown = report.render(
        config={
            "sizes": [100_000],
            "duration": 10,
            "warmup": 2,
            "connections": 16,
            "threads": 2,
            "workers": 4,
            "cache": "PostgreSQL table",
        },
        machine={
            "nproc": 2,
            "memory_gib": 23.5,
            "cpu": "Some CPU",
            "system": "Linux",
            "python": "3.11",
            "django": "5.2",
            "gunicorn": "27",
            "wrk": "wrk 4.1",
            "commit": "abc1234",
        },
        runs=[RUN],
        started=RUN["started"],
    )

    found = verdicts(markdown)
    assert found["filtered list with facet counts, page cache off: ≥ 5% of /healthz"] == (
        "**met** |"
    )
    assert found["filtered list with facet counts, page cache on: ≥ 50% of /healthz"] == (
        "**missed** |"
    )
    assert found["p99 < 250 ms for every public page, page cache off"] == "**missed** |"
    assert found["p99 < 250 ms for every public page, page cache on"] == "**met** |"
    assert found["deep page no slower than twice page 1 (page cache off)"] == "**missed** |"
    assert found["search p95 < 50 ms server-side (page cache off)"] == "**missed** |"
    assert found["staff admin list ≥ 2 × the stock admin's rate"] == "**met** |"
    assert found["no error"] == "**missed** |"
    assert "40.0% of /healthz" in markdown  # the cached facets page: 400 / 1000
    assert "over 250 ms: labs_deep" in markdown
    assert "| labs_deep (not from the cache!) | 700.0 |" in markdown
    assert "Some CPU, 2 cores" in markdown
