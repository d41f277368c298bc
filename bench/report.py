"""BENCHMARKS.md from the figures of a bench run (see run.py)."""

import os
from pathlib import Path

NOTES = Path(__file__).resolve().parent / "notes.md"


def render(*, config: dict, machine: dict, runs: list[dict], started, command=None) -> str:
    largest = max(runs, key=lambda run: run["size"]) if runs else None
    parts = [
        "# Benchmarks\n",
        intro(command or bench_command(), machine, started),
        machine_table(machine, runs),
        method(config),
    ]
    if largest:
        parts.append(targets(largest))
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
    return "\n".join(
        [
            "## How it is measured\n",
            f"- The portal runs under gunicorn with {config['workers']} sync workers, "
            "`DJANGO_DEBUG=false`, a secret key, static files from the manifest storage, and "
            "every request marked HTTPS (`X-Forwarded-Proto`) as the production proxy does.",
            f"- wrk loads one page at a time from the same machine on 127.0.0.1: "
            f"{config['threads']} threads, {config['connections']} connections, "
            f"{config['duration']} s per page after a {config['warmup']} s warm-up. "
            "Staff pages carry the session cookie of a Derci staff account signed in through "
            "the login form.",
            "- *Page cache off*: `PORTAL_PAGE_CACHE_SECONDS=0`, every request renders the page. "
            "*Page cache on*: the public page cache, "
            f"{config['cache']}; every measured request is a hit (checked before loading).",
            "- *Share of /healthz*: the page's rate over the rate of `/healthz` (no database) "
            "in the same server run, the framework's ceiling on this machine.",
            "- Latencies: p50/p95/p99 seen by wrk (waiting for a free worker included), then "
            "the time spent in the worker per request, from gunicorn's access log (`server`).",
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


def targets(run) -> str:
    """The issue's targets, checked on the largest database."""
    rows = []

    def verdict(ok):
        return "not measured" if ok is None else ("**met**" if ok else "**missed**")

    def add(target, measured, ok):
        rows.append(f"| {target} | {measured} | {verdict(ok)} |")

    for mode, floor in (("uncached", 0.05), ("cached", 0.50)):
        value = share(run, mode, "labs_facets")
        label = "page cache off" if mode == "uncached" else "page cache on"
        facets = page_result(run, mode, "labs_facets") or {}
        if mode == "cached" and value is not None and facets.get("cache") != "hit":
            value = None  # the page was not served from the cache: not this target
        add(
            f"filtered list with facet counts, {label}: ≥ {floor:.0%} of /healthz",
            "–" if value is None else f"{value:.1%} of /healthz",
            None if value is None else value >= floor,
        )
    public = [page for page in run["pages"] if page["public"]]
    for mode in ("uncached", "cached"):
        measured = {
            page["label"]: page_result(run, mode, page["key"])
            for page in public
            if page_result(run, mode, page["key"]) and "rps" in page_result(run, mode, page["key"])
        }
        if not measured:
            add(f"p99 < 250 ms, every public page ({mode})", "–", None)
            continue

        def p99(result):  # no request completed during the load: later than any
            return float("inf") if result["p99_ms"] is None else result["p99_ms"]

        worst_label, worst = max(measured.items(), key=lambda item: p99(item[1]))
        late = [label for label, result in measured.items() if p99(result) >= 250]
        missing = len(public) - len(measured)
        worst_text = "no request done" if worst["p99_ms"] is None else f"{worst['p99_ms']:.0f} ms"
        text = f"worst: {worst_label}, {worst_text}"
        if late:
            text += f"; over 250 ms: {', '.join(late)}"
        if missing:
            text += f"; {missing} page(s) not measured"
        label = "page cache off" if mode == "uncached" else "page cache on"
        add(
            f"p99 < 250 ms for every public page, {label}",
            text,
            False if late else (None if missing else True),
        )
    # Time in the worker: also known when a page is so slow that wrk completed nothing.
    first = page_result(run, "uncached", "labs") or {}
    deep = page_result(run, "uncached", "labs_deep") or {}
    if first.get("server_p50_ms") and deep.get("server_p50_ms"):
        add(
            "deep page no slower than twice page 1 (page cache off)",
            f"server p50 {deep['server_p50_ms']:,.0f} vs {first['server_p50_ms']:,.0f} ms; "
            f"{deep['rps']:.1f} vs {first['rps']:.1f} req/s",
            deep["server_p50_ms"] <= 2 * first["server_p50_ms"],
        )
    else:
        add("deep page no slower than twice page 1", "–", None)
    search = page_result(run, "uncached", "search")
    if search and search.get("server_p95_ms") is not None:
        add(
            "search p95 < 50 ms server-side (page cache off)",
            f"{search['server_p95_ms']:.1f} ms",
            search["server_p95_ms"] < 50,
        )
    else:
        add("search p95 < 50 ms server-side", "– (no search page in this tree)", None)
    staff = page_result(run, "uncached", "admin_labs")
    stock = page_result(run, "uncached", "stock_admin_labs")
    if staff and stock and "rps" in staff and "rps" in stock:
        add(
            "staff admin list ≥ 2 × the stock admin's rate",
            f"{staff['rps']:.1f} vs {stock['rps']:.1f} req/s ({staff['rps'] / stock['rps']:.2f} ×)",
            staff["rps"] >= 2 * stock["rps"],
        )
    else:
        add("staff admin list ≥ 2 × the stock admin's rate", "–", None)
    errors = 0
    failed = []
    for mode, results in run["modes"].items():
        for key, result in results.items():
            if result.get("status") not in (200, "missing"):  # missing: not in this tree
                failed.append(f"{key} ({mode}): {result.get('status')}")
            errors += result.get("errors", 0)
    text = f"{errors} error(s) under load"
    if failed:
        text += "; not measured: " + ", ".join(failed)
    add("no error", text, errors == 0 and not failed)
    lines = [
        f"## Targets at {run['size']:,} entries\n",
        "| target | measured | |",
        "| --- | --- | --- |",
        *rows,
        "",
    ]
    return "\n".join(lines)


def number(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def results(run) -> str:
    entries = run.get("entries", {})
    lines = [
        f"## {run['size']:,} entries\n",
        f"{entries.get('all', 0):,} entries, {entries.get('published', 0):,} published; "
        f"database ready in {run['build_seconds']:.0f} s (built by `generate_labs` "
        "or reused).\n",
    ]
    titles = {"uncached": "Page cache off", "cached": "Page cache on"}
    for mode, results_by_key in run["modes"].items():
        lines += [
            f"### {titles[mode]}\n",
            "| page | req/s | share of /healthz | p50 ms | p95 ms | p99 ms "
            "| server p50 | server p95 | server p99 | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for page in run["pages"]:
            result = results_by_key.get(page["key"])
            if result is None:
                continue
            if "rps" not in result:
                status = result.get("status")
                reason = "no such page in this tree" if status == "missing" else f"HTTP {status}"
                lines.append(f"| {page['label']} | {reason} |||||||||")
                continue
            ratio = share(run, mode, page["key"])
            label = page["label"]
            if mode == "cached" and page["public"] and result.get("cache") != "hit":
                label += " (not from the cache!)"
            lines.append(
                f"| {label} | {number(result['rps'])} | "
                f"{'–' if ratio is None else f'{ratio:.1%}'} | {number(result['p50_ms'])} | "
                f"{number(result['p95_ms'])} | {number(result['p99_ms'])} | "
                f"{number(result['server_p50_ms'])} | {number(result['server_p95_ms'])} | "
                f"{number(result['server_p99_ms'])} | {result['errors']} |"
            )
        lines.append("")
    urls = [f"- {page['label']}: `{page['url']}`" for page in run["pages"] if page["url"]]
    lines += ["Pages measured:\n", *urls, ""]
    return "\n".join(lines)
