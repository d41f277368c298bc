"""BENCHMARKS.md from the figures of a bench run (see run.py)."""

import os
from pathlib import Path

NOTES = Path(__file__).resolve().parent / "notes.md"


# The sizes the targets of issue 10 are read at.
BASE_SIZE = 1_000
SMALL_SIZE = 5_000
TARGET_SIZE = 100_000
HUGE_SIZE = 1_000_000


def render(*, config: dict, machine: dict, runs: list[dict], started, command=None) -> str:
    largest = max(runs, key=lambda run: run["size"]) if runs else None
    parts = [
        "# Benchmarks\n",
        intro(command or bench_command(), machine, started),
        machine_table(machine, runs),
        method(config),
    ]
    if runs:
        parts.append(targets(runs))
        parts.append(builds(runs))
    for run in runs:
        parts.append(results(run))
    if largest and largest.get("plans"):
        parts.append(f"## Query plans at {largest['size']:,} entries\n")
        parts.append(
            "The queries each page runs, rendered once in-process with the page cache off, "
            "and EXPLAIN (ANALYZE, BUFFERS) of the slowest ones (`bench/explain.py`).\n"
        )
        parts.append(largest["plans"])
    if NOTES.exists():
        parts.append(NOTES.read_text())
    return "\n".join(parts).rstrip() + "\n"


def bench_command() -> str:
    overrides = " ".join(
        f"{name}={os.environ[name]}"
        for name in sorted(os.environ)
        if name.startswith("BENCH_") and name != "BENCH_PASSWORD"
    )
    return f"{overrides} make bench".strip()


def intro(command, machine, started) -> str:
    when = started.strftime("%Y-%m-%d %H:%M UTC") if started else "–"
    return (
        f"Written by `{command}` on {when}, from commit {machine['commit']}. "
        "`bench/run.py` rewrites this file on every run; the notes at the end come from "
        "`bench/notes.md`.\n"
    )


def machine_table(machine, runs) -> str:
    postgres = ", ".join(sorted({run["postgres"] for run in runs})) or "–"
    loads = "; ".join(
        f"{run['size']:,} entries: " + " ".join(f"{value:.2f}" for value in run["load_before"])
        for run in runs
    )
    rows = [
        ("CPU", f"{machine['cpu']}, {machine['nproc']} cores (`nproc`)"),
        ("Memory", f"{machine['memory_gib']:.1f} GiB"),
        ("System", machine["system"]),
        ("Load average before each size (1, 5, 15 min)", loads or "–"),
        (
            "Software",
            f"Python {machine['python']}, Django {machine['django']}, "
            f"gunicorn {machine['gunicorn']}, PostgreSQL {postgres} (embedded), {machine['wrk']}",
        ),
    ]
    lines = ["## Machine\n", "| | |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines) + "\n"


def method(config) -> str:
    timeout = config.get("worker_timeout", 30)
    edits = config.get("edit_requests", 100)
    return "\n".join(
        [
            "## How it is measured\n",
            f"- The portal runs under gunicorn with {config['workers']} sync workers "
            f"(worker timeout {timeout} s), `DJANGO_DEBUG=false`, a secret key, static files "
            "from the manifest storage, and every request marked HTTPS (`X-Forwarded-Proto`) "
            "as the production proxy does. Each database is built by `manage.py migrate` and "
            "`manage.py generate_labs --count N --seed 1`.",
            f"- wrk loads one page at a time from the same machine on 127.0.0.1: "
            f"{config['threads']} threads, {config['connections']} connections, "
            f"{config['duration']} s per page after a {config['warmup']} s warm-up. "
            "Staff pages carry the session cookie of a Derci staff account (made by "
            "`manage.py add_user`) signed in through the login form.",
            "- *Page cache off*: `PORTAL_PAGE_CACHE_SECONDS=0`, every request renders the page. "
            "*Page cache on*: the public page cache, "
            f"{config['cache']}; every measured page it keeps is a hit (checked before "
            "loading); the sitemaps are public but not kept by it.",
            "- *One at a time*: the labs list and the filtered list with the page cache off, "
            f"wrk with 1 connection for {config['duration']} s: the time of a page with no "
            "other request waiting.",
            "- *Share of /healthz*: the page's rate over the rate of `/healthz` (no database) "
            "in the same server run, the framework's ceiling on this machine.",
            "- Latencies: p50/p95/p99 seen by wrk (waiting for a free worker included), then "
            "the time spent in the worker per request, from gunicorn's access log (`server`). "
            "*First*: the first request of the page in that server run, before any load.",
            "- *Memory*: VmRSS (and its peak, VmHWM) of each gunicorn worker, read from /proc "
            "after the loads of each server run.",
            f"- *Edit check*: {edits} requests one at a time, the labs list and the filtered "
            "list in turn (the target: page cache off, every request renders, so that no "
            "request waits on a rebuild after the write; with the page cache on, for "
            "information: the first visit of each page after the write renders it again, the "
            "next ones are hits); then one real write, committed: "
            "`manage.py shell` renames a published lab the filtered list shows (`save()`, as the "
            f"admin does) while the server runs; then the next {edits} requests. Each request is "
            "timed in full by the bench and compared with the median of its own page before "
            "the write; the lab's page must show the new name afterwards.",
            "- *Workers killed*: gunicorn's log of each server run, read before stopping it: "
            "`WORKER TIMEOUT`, workers sent a signal or exiting, and workers booted beyond the "
            "first ones.",
            "- *Errors*: socket errors, timeouts (10 s) and any answer other than 200.",
            "",
        ]
    )


def page_result(run, mode, key):
    return run["modes"].get(mode, {}).get(key)


def share(run, mode, key):
    page = page_result(run, mode, key)
    health = page_result(run, mode, "healthz")
    if not page or not health or "rps" not in page or "rps" not in health:
        return None
    return page["rps"] / health["rps"]


def run_at(runs, size):
    return next((run for run in runs if run["size"] == size), None)


def run_for(runs, size):
    """(the run of ``size``, True), else (the largest smaller run, False) to show an
    indicative figure, else (None, False)."""
    exact = run_at(runs, size)
    if exact:
        return exact, True
    smaller = [run for run in runs if run["size"] < size]
    return (max(smaller, key=lambda run: run["size"]) if smaller else None), False


def single_result(run, key):
    return (run.get("single") or {}).get(key)


def worst_worker_rss(run):
    """The largest resident memory (KiB) of any worker after the loads of either server."""
    values = [item["rss_kib"] for workers in run.get("memory", {}).values() for item in workers]
    return max(values) if values else None


def mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def public_pages(run, page_cache=None):
    return [
        page
        for page in run["pages"]
        if page["public"]
        and page["url"]
        and (page_cache is None or page.get("page_cache", True) == page_cache)
    ]


def targets(runs) -> str:
    """The targets of issue 10, each read at its size (and the earlier ones still meaningful).

    When the target's size was not run, the largest smaller size gives an indicative figure
    and the verdict is "not measured"."""
    rows = []

    def verdict(ok):
        return "not measured" if ok is None else ("**met**" if ok else "**missed**")

    def add(target, size, measured, ok):
        rows.append(f"| {target} | {size:,} | {measured} | {verdict(ok)} |")

    def check(target, size, figure):
        """``figure(run)`` -> (text, ok) or None when the run lacks the measure."""
        run, exact = run_for(runs, size)
        found = figure(run) if run else None
        if found is None:
            add(target, size, "–", None)
            return
        text, ok = found
        if not exact:
            text = f"{text} (at {run['size']:,} entries; {size:,} not run)"
            ok = None
        add(target, size, text, ok)

    def cached_share(run):
        value = share(run, "cached", "labs_facets")
        facets = page_result(run, "cached", "labs_facets") or {}
        if value is None:
            return None
        if facets.get("cache") != "hit":
            return f"{value:.1%} of /healthz, not from the cache", False
        return f"{value:.1%} of /healthz", value >= 0.50

    def single_p95(limit):
        def figure(run):
            result = single_result(run, "labs_facets")
            if not result or result.get("p95_ms") is None:
                return None
            return (
                f"p95 {result['p95_ms']:.1f} ms (server p95 {number(result['server_p95_ms'])} "
                f"ms, {result['rps']:.1f} req/s)",
                result["p95_ms"] <= limit,
            )

        return figure

    def cached_p99(run):
        pages = public_pages(run, page_cache=True)
        measured = {
            page["label"]: page_result(run, "cached", page["key"])
            for page in pages
            if "rps" in (page_result(run, "cached", page["key"]) or {})
        }
        if not measured:
            return None

        def p99(result):  # no request completed during the load: later than any
            return float("inf") if result["p99_ms"] is None else result["p99_ms"]

        worst_label, worst = max(measured.items(), key=lambda item: p99(item[1]))
        late = [label for label, result in measured.items() if p99(result) > 250]
        missing = len(pages) - len(measured)
        not_hits = [label for label, result in measured.items() if result.get("cache") != "hit"]
        worst_text = "no request done" if worst["p99_ms"] is None else f"{worst['p99_ms']:.0f} ms"
        text = f"worst: {worst_label}, {worst_text}"
        if late:
            text += f"; over 250 ms: {', '.join(late)}"
        if not_hits:
            text += f"; not from the cache: {', '.join(not_hits)}"
        if missing:
            text += f"; {missing} page(s) not measured"
        sitemaps = [
            f"{page['label']} {number(page_result(run, 'cached', page['key'])['p99_ms'], 0)} ms"
            for page in public_pages(run, page_cache=False)
            if "rps" in (page_result(run, "cached", page["key"]) or {})
        ]
        if sitemaps:
            text += f" (not kept by the page cache, not counted: {', '.join(sitemaps)})"
        return text, False if late else (None if missing else True)

    def memory(run):
        base = run_at(runs, BASE_SIZE)
        now, then = worst_worker_rss(run), worst_worker_rss(base) if base else None
        if now is None:
            return None
        if then is None:
            return f"{mib(now)}; {BASE_SIZE:,} entries not run", None
        return (
            f"{mib(now)} vs {mib(then)} at {BASE_SIZE:,} entries ({now / then:.2f} ×)",
            now <= 1.3 * then,
        )

    def edit(run):
        found = run.get("edit")
        if not found or "median_before_ms" not in found:
            return None
        slow = found["over_twice_median"]
        text = (
            f"median before {_page_medians(found)}; after: max "
            f"{found['max_after_ms']:.1f} ms, {len(slow)} of {found.get('after_requests', 100)} "
            "over twice their page's median"
        )
        if slow:
            text += (
                " ("
                + ", ".join(
                    f"#{item['index'] + 1} {item['key']} {item['ms']:.0f} ms "
                    f"({item['cache'] or 'rendered'})"
                    for item in slow[:6]
                )
                + (", …" if len(slow) > 6 else "")
                + ")"
            )
        text += "; new name shown" if found.get("new_name_shown") else "; NEW NAME NOT SHOWN"
        ok = not slow and found.get("new_name_shown") is not False and not found["errors"]
        return text, ok

    def huge(run):
        pages = public_pages(run)
        answered, failed, slowest = 0, [], []
        for page in pages:
            statuses = [
                page_result(run, mode, page["key"])
                for mode in ("uncached", "cached")
                if page_result(run, mode, page["key"]) is not None
            ]
            if statuses and all(result.get("status") == 200 for result in statuses):
                answered += 1
                first = (page_result(run, "uncached", page["key"]) or {}).get("first_ms")
                if first is not None:
                    slowest.append((first, page["label"]))
            else:
                failed.append(page["label"])
        events = run.get("worker_events", {}).values()
        killed = sum(e["timeouts"] + e["killed"] + e["restarts"] for e in events)
        if not pages:
            return None
        slowest.sort(reverse=True)
        text = f"{answered} of {len(pages)} public pages answered"
        if slowest:
            text += "; slowest first answers: " + ", ".join(
                f"{label} {ms:,.0f} ms" for ms, label in slowest[:3]
            )
        if failed:
            text += f"; no answer: {', '.join(failed)}"
        text += f"; {killed} worker(s) killed or restarted (times per page below)"
        return text, not failed and killed == 0

    check("cached filtered list ≥ 50 % of /healthz's rate", TARGET_SIZE, cached_share)
    check(
        "uncached filtered list with facets, one request at a time: p95 ≤ 150 ms",
        TARGET_SIZE,
        single_p95(150),
    )
    check(
        "p99 ≤ 250 ms at 16 connections, page cache on, every public page",
        TARGET_SIZE,
        cached_p99,
    )
    check(f"worker memory (RSS) ≤ 1.3 × at {BASE_SIZE:,} entries", TARGET_SIZE, memory)
    check(
        "after one lab edit, none of the next 100 requests > 2 × its page's median before "
        "(page cache off)",
        TARGET_SIZE,
        edit,
    )
    check("every public page answers, no worker killed", HUGE_SIZE, huge)
    check(
        "uncached filtered list with facets, one request at a time: p95 ≤ 25 ms",
        SMALL_SIZE,
        single_p95(25),
    )

    # Earlier targets that still tell something with the list answered by PostgreSQL.
    def deep(run):
        first = page_result(run, "uncached", "labs") or {}
        deep_page = page_result(run, "uncached", "labs_deep") or {}
        if not (first.get("server_p50_ms") and deep_page.get("server_p50_ms")):
            return None
        return (
            f"server p50 {deep_page['server_p50_ms']:,.0f} vs {first['server_p50_ms']:,.0f} ms",
            deep_page["server_p50_ms"] <= 2 * first["server_p50_ms"],
        )

    def search(run):
        result = page_result(run, "uncached", "search")
        if not result or result.get("server_p95_ms") is None:
            return None
        return f"{result['server_p95_ms']:.1f} ms", result["server_p95_ms"] < 50

    def admin(run):
        staff = page_result(run, "uncached", "admin_labs")
        stock = page_result(run, "uncached", "stock_admin_labs")
        if not (staff and stock and "rps" in staff and "rps" in stock):
            return None
        return (
            f"{staff['rps']:.1f} vs {stock['rps']:.1f} req/s ({staff['rps'] / stock['rps']:.2f} ×)",
            staff["rps"] >= 2 * stock["rps"],
        )

    check("labs list, deep page no slower than twice page 1 (page cache off)", TARGET_SIZE, deep)
    check("search p95 < 50 ms server-side (page cache off)", TARGET_SIZE, search)
    check("staff admin list ≥ 2 × the stock admin's rate", TARGET_SIZE, admin)

    errors, failed = 0, []
    for run in runs:
        for mode, results_by_key in [
            *run["modes"].items(),
            ("one at a time", run.get("single", {})),
        ]:
            for key, result in results_by_key.items():
                # Missing: not in this tree; no data: nothing to show in this database.
                if result.get("status") not in (200, "missing", "no data"):
                    failed.append(f"{key} ({mode}, {run['size']:,})")
                errors += result.get("errors", 0)
        errors += (run.get("edit") or {}).get("errors", 0)
        errors += (run.get("edit_cached") or {}).get("errors", 0)
    text = f"{errors} error(s) under load"
    if failed:
        text += "; not measured: " + ", ".join(failed)
    sizes = ", ".join(f"{run['size']:,}" for run in runs)
    rows.append(f"| no error | {sizes} | {text} | {verdict(errors == 0 and not failed)} |")
    lines = [
        "## Targets\n",
        "The targets of issue 10, each at the number of entries it names; a figure from a "
        "smaller database when that size was not run is only indicative.\n",
        "| target | entries | measured | |",
        "| --- | ---: | --- | --- |",
        *rows,
        "",
    ]
    return "\n".join(lines)


def builds(runs) -> str:
    """How long generate_labs took, and what that says of the sizes not built."""
    lines = [
        "## Database builds\n",
        "`manage.py migrate` then `manage.py generate_labs` (timed by the bench, with the "
        "command's peak resident memory; PostgreSQL's own work is in the time, not in the "
        "memory). A database built by an earlier run reports that run's figures.\n",
        "| entries | migrate s | generate_labs s | generator's own count, s | peak memory | "
        "database on disk |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    built = []
    for run in runs:
        build = run.get("build") or {}
        seconds = build.get("generate_seconds")
        if seconds is not None:
            built.append((run["size"], seconds, build.get("generate_peak_kib")))
        on_disk = run.get("database_bytes")
        lines.append(
            f"| {run['size']:,} | {number(build.get('migrate_seconds'))} | {number(seconds)} | "
            f"{number(build.get('generator_seconds'))} | "
            f"{mib(build['generate_peak_kib']) if build.get('generate_peak_kib') else '–'} | "
            f"{f'{on_disk / 2**20:,.0f} MiB' if on_disk else '–'} |"
        )
    lines.append("")
    built = [item for item in built if item[0] > 0]
    if built:
        size, seconds, _memory = max(built)
        rate = size / seconds
        estimates = [
            f"{target:,}: about {target / rate / 60:,.0f} min"
            for target in (TARGET_SIZE, HUGE_SIZE)
            if target > size
        ]
        text = f"At {rate:,.0f} entries a second (the {size:,}-entry build)"
        if len(built) >= 2:
            (small, _s1, m1), (large, _s2, m2) = sorted(built)[0], sorted(built)[-1]
            if m1 and m2 and large > small:
                per_entry = (m2 - m1) / (large - small)  # KiB per entry
                text += (
                    f"; peak memory grows by about {per_entry:.1f} KiB per entry "
                    f"({mib(m1)} at {small:,}, {mib(m2)} at {large:,})"
                )
                guesses = [
                    f"{(m2 + per_entry * (target - large)) / 2**20:,.1f} GiB at {target:,}"
                    for target in (TARGET_SIZE, HUGE_SIZE)
                    if target > large
                ]
                if guesses:
                    text += ", so about " + ", ".join(guesses) + " (an estimate, not a measure)"
        if estimates:
            text += (
                "; linear estimates of generate_labs: "
                + ", ".join(estimates)
                + " (an estimate, not a measure)"
            )
        lines.append(text + ".\n")
    return "\n".join(lines)


def number(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def results(run) -> str:
    entries = run.get("entries", {})
    build = run.get("build") or {}
    how = "reused from an earlier run" if build.get("reused") else "built by this run"
    lines = [
        f"## {run['size']:,} entries\n",
        f"{entries.get('all', 0):,} entries, {entries.get('published', 0):,} published; "
        f"database ready in {run['build_seconds']:.0f} s ({how}).\n",
    ]
    titles = {"uncached": "Page cache off", "cached": "Page cache on"}
    header = [
        "| page | req/s | share of /healthz | first ms | p50 ms | p95 ms | p99 ms "
        "| server p50 | server p95 | server p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    tables = [(titles[mode], mode, results_by_key) for mode, results_by_key in run["modes"].items()]
    if run.get("single"):
        tables.insert(
            1, ("Page cache off, one request at a time (1 connection)", None, run["single"])
        )
    for title, mode, results_by_key in tables:
        lines += [f"### {title}\n", *header]
        for page in run["pages"]:
            result = results_by_key.get(page["key"])
            if result is None:
                continue
            if "rps" not in result:
                status = result.get("status")
                reason = {
                    "missing": "no such page in this tree",
                    "no data": "nothing of the kind in this database",
                }.get(status, f"HTTP {status}")
                lines.append(f"| {page['label']} | {reason} ||||||||||")
                continue
            ratio = share(run, mode, page["key"]) if mode else None
            label = page["label"]
            if mode == "cached" and page.get("page_cache") and result.get("cache") != "hit":
                label += " (not from the cache!)"
            if mode == "cached" and page["public"] and not page.get("page_cache", True):
                label += " (not kept by the page cache)"
            lines.append(
                f"| {label} | {number(result['rps'])} | "
                f"{'–' if ratio is None else f'{ratio:.1%}'} | "
                f"{number(result.get('first_ms'))} | {number(result['p50_ms'])} | "
                f"{number(result['p95_ms'])} | {number(result['p99_ms'])} | "
                f"{number(result['server_p50_ms'])} | {number(result['server_p95_ms'])} | "
                f"{number(result['server_p99_ms'])} | {result['errors']} |"
            )
        lines.append("")
    lines += workers_section(run)
    lines += edit_section(run)
    urls = [f"- {page['label']}: `{page['url']}`" for page in run["pages"] if page["url"]]
    lines += ["Pages measured:\n", *urls, ""]
    return "\n".join(lines)


def workers_section(run) -> list[str]:
    memory = run.get("memory") or {}
    events = run.get("worker_events") or {}
    if not memory and not events:
        return []
    titles = {"uncached": "page cache off", "cached": "page cache on"}
    lines = [
        "### Workers\n",
        "| server | resident memory after the loads (peak) | killed or restarted |",
        "| --- | --- | --- |",
    ]
    for mode in run["modes"]:
        workers = memory.get(mode, [])
        found = events.get(mode)
        sizes = ", ".join(f"{mib(w['rss_kib'])} ({mib(w['hwm_kib'])})" for w in workers) or "–"
        if found is None:
            killed = "–"
        else:
            killed = (
                f"{found['timeouts']} timeout(s), {found['killed']} killed or exited, "
                f"{found['restarts']} restart(s)"
            )
            if found.get("lines"):
                killed += ": " + "; ".join(f"`{line.strip()}`" for line in found["lines"][:3])
        lines.append(f"| {titles.get(mode, mode)} | {sizes} | {killed} |")
    lines.append("")
    return lines


def edit_section(run) -> list[str]:
    lines = []
    for key, title in (("edit", "page cache off"), ("edit_cached", "page cache on")):
        lines += _edit_lines(run.get(key), title)
    return lines


def _page_medians(found) -> str:
    """The median before the write of each page (of both together in older runs)."""
    medians = found.get("page_medians_before_ms")
    if not medians:
        return f"{found['median_before_ms']:.1f} ms"
    return ", ".join(f"{key} {ms:.1f} ms" for key, ms in sorted(medians.items()))


def _edit_lines(found, title: str) -> list[str]:
    if not found or "median_before_ms" not in found:
        return []
    first = ", ".join(
        f"{item['key']} {item['ms']:.1f} ms ({item['cache'] or 'rendered, not kept'})"
        for item in found.get("first_after", [])
    )
    return [
        f"### Edit check ({title})\n",
        f"`{found['slug']}` renamed to “{found['new_name']}”. Before: median "
        f"{_page_medians(found)}, max {found['max_before_ms']:.1f} ms. After: median "
        f"{found['median_after_ms']:.1f} ms, max {found['max_after_ms']:.1f} ms, "
        f"{len(found['over_twice_median'])} request(s) over twice their page's median before, "
        f"{found['misses_after']} not from the cache, {found['errors']} error(s); the lab's page "
        f"{'shows' if found.get('new_name_shown') else 'does NOT show'} the new name. "
        f"First requests after the write: {first}.\n",
    ]
