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


def figures(rps, p99=20.0, server_p95=5.0, errors=0, p95=None):
    return {
        "status": 200,
        "rps": rps,
        "errors": errors,
        "first_ms": p99,
        "p50_ms": p99 / 2,
        "p95_ms": p99 * 0.9 if p95 is None else p95,
        "p99_ms": p99,
        "server_p50_ms": server_p95 / 2,
        "server_p95_ms": server_p95,
        "server_p99_ms": server_p95 * 1.2,
    }


def page(key, public=True, staff=False, page_cache=None):
    return {
        "key": key,
        "label": key,
        "url": f"/{key}",
        "public": public,
        "staff": staff,
        "page_cache": public if page_cache is None else page_cache,
    }


PAGES = [
    page("healthz", public=False),
    page("labs"),
    page("labs_facets"),
    page("labs_deep"),
    page("search"),
    page("sitemap", page_cache=False),
    page("admin_labs", public=False, staff=True),
    page("stock_admin_labs", public=False, staff=True),
]


def workers(rss_mib):
    return [{"pid": 1, "rss_kib": rss_mib * 1024, "hwm_kib": rss_mib * 1024}]


def run(size, **changes):
    found = {
        "size": size,
        "started": datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
        "load_before": (0.5, 0.4, 0.3),
        "build_seconds": 60,
        "build": {
            "reused": False,
            "migrate_seconds": 8.0,
            "generate_seconds": size / 500,
            "generator_seconds": size / 550,
            "generate_peak_kib": 75 * 1024 + size * 4,
        },
        "postgres": "18.4",
        "database_bytes": size * 20_000,
        "entries": {"all": size, "published": size * 96 // 100},
        "pages": PAGES,
        "modes": {
            "uncached": {
                "healthz": figures(1000),
                "labs": figures(100),
                "labs_facets": figures(60),
                "labs_deep": figures(40, p99=300, server_p95=30),
                "search": figures(80, server_p95=60),
                "sitemap": figures(5, p99=900),
                "admin_labs": figures(30),
                "stock_admin_labs": figures(10),
            },
            "cached": {
                "healthz": figures(1000),
                "labs": {**figures(700), "cache": "hit"},
                "labs_facets": {**figures(400, errors=2), "cache": "hit"},
                "labs_deep": {**figures(700, p99=300), "cache": None},
                "search": {**figures(700), "cache": "hit"},
                "sitemap": figures(5, p99=900),
            },
        },
        "single": {"labs": figures(10, p95=40), "labs_facets": figures(12, p95=30)},
        "memory": {"uncached": workers(100), "cached": workers(90)},
        "worker_events": {
            "uncached": {"timeouts": 0, "killed": 0, "restarts": 0, "lines": []},
            "cached": {"timeouts": 0, "killed": 0, "restarts": 0, "lines": []},
        },
        "edit": {
            "slug": "lab-1",
            "new_name": "Lab (modifié)",
            "new_name_shown": True,
            "median_before_ms": 2.0,
            "max_before_ms": 3.0,
            "median_after_ms": 2.1,
            "max_after_ms": 50.0,
            "after_requests": 100,
            "over_twice_median": [
                {"index": 0, "key": "labs", "ms": 50.0, "status": 200, "cache": "miss"}
            ],
            "misses_after": 2,
            "errors": 0,
            "first_after": [],
        },
    }
    found.update(changes)
    return found


def verdicts(markdown):
    rows = markdown.split("## Targets")[1].split("\n## ")[0].splitlines()
    return {
        row.split(" | ")[0].lstrip("| "): row.rsplit(" | ", 1)[1]
        for row in rows
        if row.startswith("| ") and not row.startswith("| target") and "---" not in row
    }


def render(runs):
    return report.render(
        config={
            "sizes": [item["size"] for item in runs],
            "duration": 10,
            "warmup": 2,
            "connections": 16,
            "threads": 2,
            "workers": 4,
            "worker_timeout": 30,
            "edit_requests": 100,
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
        runs=runs,
        started=runs[0]["started"],
    )


def test_the_report_says_which_targets_hold_and_by_how_much():
    big = run(100_000, memory={"uncached": workers(120), "cached": workers(100)})
    markdown = render([run(1_000), run(5_000), big])

    found = verdicts(markdown)
    assert found["cached filtered list ≥ 50 % of /healthz's rate"] == "**missed** |"
    assert "40.0% of /healthz" in markdown  # the cached facets page: 400 / 1000
    assert (
        found["uncached filtered list with facets, one request at a time: p95 ≤ 150 ms"]
        == "**met** |"
    )
    assert (
        found["uncached filtered list with facets, one request at a time: p95 ≤ 25 ms"]
        == "**missed** |"
    )
    assert (
        found["p99 ≤ 250 ms at 16 connections, page cache on, every public page"] == "**missed** |"
    )
    assert "over 250 ms: labs_deep" in markdown
    assert "not counted: sitemap 900 ms" in markdown  # the sitemap is not in the verdict
    assert found["worker memory (RSS) ≤ 1.3 × at 1,000 entries"] == "**met** |"  # 1.2 ×
    assert (
        found[
            "after one lab edit, none of the next 100 requests > 2 × its page's median before "
            "(page cache off)"
        ]
        == "**missed** |"
    )
    assert found["every public page answers, no worker killed"] == "not measured |"
    assert "(at 100,000 entries; 1,000,000 not run)" in markdown
    assert found["staff admin list ≥ 2 × the stock admin's rate"] == "**met** |"
    assert found["no error"] == "**missed** |"
    assert "| labs_deep (not from the cache!) | 700.0 |" in markdown
    assert "Some CPU, 2 cores" in markdown
    assert "## Database builds" in markdown


def test_a_million_entries_fail_on_a_killed_worker():
    events = {"timeouts": 1, "killed": 1, "restarts": 1, "lines": ["WORKER TIMEOUT (pid:9)"]}
    huge = run(1_000_000, worker_events={"uncached": events, "cached": events})

    found = verdicts(render([run(1_000), huge]))

    assert found["every public page answers, no worker killed"] == "**missed** |"
