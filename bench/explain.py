"""EXPLAIN ANALYZE of the queries the key pages really run, as Markdown on stdout.

``python -m bench.explain`` (DATABASE_URL set) renders every bench page once in-process,
records its queries, and explains the slowest ones of each page with ANALYZE and BUFFERS.
Whatever views the tree has, the plans are those of its own queries. ``make bench`` runs it
on the largest bench database and puts the result in BENCHMARKS.md.
"""

import os
import sys
import time

import django

QUERIES_PER_PAGE = 3
SLOW_MS = 1.0
PLAN_LINES = 40
SQL_CHARS = 900


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
    os.environ["PORTAL_PAGE_CACHE_SECONDS"] = "0"
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import translation

    from bench.prepare import STAFF_USERNAME, pages

    with translation.override("fr"):
        measured = [p for p in pages() if p["url"] and p["key"] != "healthz"]
    visitor = Client(HTTP_HOST="127.0.0.1")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(get_user_model().objects.get(username=STAFF_USERNAME))
    sections = []
    rows = []
    for page in measured:
        client = staff if page["staff"] else visitor
        queries = page_queries(client, page["url"])
        total = sum(ms for ms, _sql in queries)
        rows.append(f"| {page['label']} | {len(queries)} | {total:.1f} |")
        sections.append(explain_page(page, queries))
    print("| page | queries | time in SQL (ms) |\n| --- | ---: | ---: |")
    print("\n".join(rows))
    print()
    print("\n".join(sections))
    return 0


def page_queries(client, url: str) -> list[tuple[float, str]]:
    """(milliseconds, SQL with its parameters) of each query the page runs."""
    from django.db import connection

    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        result = execute(sql, params, many, context)
        elapsed = (time.perf_counter() - started) * 1000
        executed = connection.ops.last_executed_query(context["cursor"], sql, params)
        queries.append((elapsed, executed))
        return result

    client.get(url, secure=True)  # warm the per-process caches first
    with connection.execute_wrapper(record):
        response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return queries


def explain_page(page: dict, queries: list[tuple[float, str]]) -> str:
    slowest = sorted(queries, key=lambda item: item[0], reverse=True)[:QUERIES_PER_PAGE]
    slowest = [item for item in slowest if item[0] >= SLOW_MS] or slowest[:1]
    parts = [f"### {page['label']}\n", f"`{page['url']}`\n"]
    for duration, sql in slowest:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        parts.append(f"{duration:.1f} ms:\n\n```sql\n{shorten(sql)}\n```\n")
        parts.append(f"```\n{plan(sql)}\n```\n")
    return "\n".join(parts)


def shorten(sql: str) -> str:
    """The query without its long list of selected columns, and cut if still long."""
    if len(sql) > SQL_CHARS and sql.startswith("SELECT ") and " FROM " in sql:
        sql = "SELECT … " + sql[sql.index(" FROM ") + 1 :]
    return sql if len(sql) <= SQL_CHARS else sql[:SQL_CHARS] + " …"


def plan(sql: str) -> str:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    if len(lines) > PLAN_LINES:
        lines = lines[:PLAN_LINES] + [f"… ({len(lines) - PLAN_LINES} more lines)"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
