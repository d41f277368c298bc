"""`make bench`: build the bench databases, serve them as in production, load them, report.

For each size (1,000, 5,000, 100,000 and 1,000,000 entries unless BENCH_SIZES says
otherwise; the targets are read at 1,000, 5,000, 100,000 and 1,000,000) the bench:

1. builds a database in its own embedded PostgreSQL data folder, ``.bench/pgdata-<size>``
   (``manage.py migrate`` then ``manage.py generate_labs``, timed, with the command's peak
   memory), never the developer's ``.pgdata``; a folder built from the same migrations and
   generator is reused, and keeps the figures of its build;
2. serves it with gunicorn as in production (``DJANGO_DEBUG=false``, a secret key, sync
   workers, gunicorn's default 30 s worker timeout, requests marked HTTPS as by the proxy),
   once with the public page cache off and once with it on;
3. with the page cache off: loads each page with wrk from this second process on
   127.0.0.1 (16 connections) after a warm-up, reading the server-side time of every
   request from gunicorn's access log; then loads the labs list and the filtered list one
   request at a time (1 connection);
4. with the page cache on: loads each public page the same way (16 connections), then the
   edit check: 100 requests one at a time to the labs list and the filtered list, one real
   write (``manage.py shell`` renames a published lab shown on the filtered list, committed),
   the next 100 requests, each timed;
5. after each server's loads, reads the resident memory (VmRSS, and its peak VmHWM) of
   every gunicorn worker from /proc, and before stopping it, reads gunicorn's log for
   workers killed or restarted (WORKER TIMEOUT, signals, exits);
6. runs EXPLAIN ANALYZE on the queries of the key pages of the largest database.

It then rewrites BENCHMARKS.md. Application code is reached through ``manage.py``
commands and URLs only (bench/prepare.py and bench/explain.py run inside Django and find
models by app label), so that modules may move between apps.

Settings, all optional: BENCH_SIZES ("1000 5000 100000 1000000": leave out the heavy sizes
to skip them), BENCH_DURATION (seconds per page, 10), BENCH_WARMUP (2), BENCH_CONNECTIONS
(16), BENCH_THREADS (wrk threads, 2), BENCH_WORKERS (gunicorn workers, 4),
BENCH_WORKER_TIMEOUT (gunicorn's --timeout, 30), BENCH_PAGES (keys of the pages to measure,
as in bench/prepare.py, "all"), BENCH_REPORT (the file to write, BENCHMARKS.md).
``python -m bench.run --report-only`` writes the report again from the figures of the last
run, for instance after editing bench/notes.md.
"""

import datetime
import hashlib
import http.client
import http.cookies
import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from cnrs_intl import embedded_db

from . import report
from .prepare import STAFF_USERNAME

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".bench"
PY = sys.executable
SEED = 1
DEFAULTS = {
    "BENCH_SIZES": "1000 5000 100000 1000000",
    "BENCH_DURATION": "10",
    "BENCH_WARMUP": "2",
    "BENCH_CONNECTIONS": "16",
    "BENCH_THREADS": "2",
    "BENCH_WORKERS": "4",
    "BENCH_WORKER_TIMEOUT": "30",
    "BENCH_REPORT": "BENCHMARKS.md",
    "BENCH_PAGES": "all",
}
MODES = ("uncached", "cached")
# Measured one request at a time (1 connection) with the page cache off.
SINGLE_PAGES = ("labs", "labs_facets")
# The edit check: requests to these pages, one at a time, before and after one write.
EDIT_PAGES = ("labs", "labs_facets")
EDIT_REQUESTS = 100
EDIT_MARK = " (modifié {})"  # with the time of the edit: a name never shown before
REQUEST_TIMEOUT = 120  # seconds for one request outside the load
DRAIN_TIMEOUT = 900  # seconds for the queue a load leaves behind to empty


def last_run_path() -> Path:
    """The figures behind a report, which `python -m bench.run --report-only` reads."""
    return DATA_DIR / f"last-run-{Path(setting('BENCH_REPORT')).stem}.json"


def setting(name: str) -> str:
    return os.environ.get(name) or DEFAULTS[name]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def main() -> int:
    if "--report-only" in sys.argv[1:]:
        return rewrite_report()
    if not shutil.which("wrk"):
        print("wrk is missing: run bench/install-wrk.sh (make bench does).", file=sys.stderr)
        return 1
    sizes = [int(size) for size in setting("BENCH_SIZES").split()]
    config = {
        "sizes": sizes,
        "duration": int(setting("BENCH_DURATION")),
        "warmup": int(setting("BENCH_WARMUP")),
        "connections": int(setting("BENCH_CONNECTIONS")),
        "threads": int(setting("BENCH_THREADS")),
        "workers": int(setting("BENCH_WORKERS")),
        "worker_timeout": int(setting("BENCH_WORKER_TIMEOUT")),
        "edit_requests": EDIT_REQUESTS,
        "cache": "Redis" if os.environ.get("REDIS_URL") else "PostgreSQL table (DatabaseCache)",
    }
    DATA_DIR.mkdir(exist_ok=True)
    environment = production_environment()
    runs = []
    for size in sizes:
        runs.append(bench_size(size, environment, config, explain=size == max(sizes)))
    figures = {
        "config": config,
        "machine": machine(),
        "runs": runs,
        "command": report.bench_command(),
    }
    last_run_path().write_text(json.dumps(figures, default=str, indent=1))
    return write_report(figures)


def rewrite_report() -> int:
    """BENCHMARKS.md again from the figures of the last run (after editing the notes)."""
    figures = json.loads(last_run_path().read_text())
    for run in figures["runs"]:
        run["started"] = datetime.datetime.fromisoformat(run["started"])
    return write_report(figures)


def write_report(figures: dict) -> int:
    runs = figures["runs"]
    report_path = BASE_DIR / setting("BENCH_REPORT")
    report_path.write_text(
        report.render(
            config=figures["config"],
            machine=figures["machine"],
            runs=runs,
            started=runs[0]["started"] if runs else None,
            command=figures["command"],
        )
    )
    log(f"wrote {report_path}")
    return 0


def production_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="ERROR",
        PORTAL_BENCH_STOCK_ADMIN="1",
        BENCH_PASSWORD=secrets.token_urlsafe(24),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def django_command(env: dict[str, str], *args: str) -> str:
    return measured_command(env, *args)[0]


def measured_command(env: dict[str, str], *args: str) -> tuple[str, float, int]:
    """``manage.py`` with ``args``: (its output, seconds, its peak resident memory in KiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [PY, "manage.py", *args], cwd=BASE_DIR, env=env, stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            message = err.read().decode(errors="replace")
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{message}")
        # ru_maxrss is in KiB on Linux.
        return out.read().decode(errors="replace"), seconds, usage.ru_maxrss


def python_module(env: dict[str, str], module: str) -> str:
    result = subprocess.run(
        [PY, "-m", module], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"python -m {module} failed:\n{result.stderr}")
    return result.stdout


# Databases ------------------------------------------------------------------------------


# Where the generator's code may be, whichever app holds it: what a database is built from.
GENERATOR_FILES = ("generation*.py", "regions.py", "generate_labs.py")
NOT_CODE = {"bench", "tests", "static", "templates", "locale", "node_modules"}


def code_files() -> list[Path]:
    """The migrations and the generator's modules of every app of the tree."""
    files = set()
    for top in BASE_DIR.iterdir():
        if not top.is_dir() or top.name.startswith(".") or top.name in NOT_CODE:
            continue
        files.update(top.rglob("migrations/*.py"))
        for pattern in GENERATOR_FILES:
            files.update(top.rglob(pattern))
    return sorted(files)


def fingerprint() -> str:
    """What the database content follows from: the migrations and the generator."""
    digest = hashlib.sha256()
    for path in code_files():
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


GENERATED = re.compile(r"(\d+) entries added in ([\d.]+) s")


@contextmanager
def bench_database(size: int, env: dict[str, str], build: dict):
    """The embedded server of this size's data folder, built if needed; yields its URL.

    ``build`` receives the figures of the build (kept with the folder, so a reused database
    still reports how long it took): seconds of ``migrate`` and ``generate_labs``, the
    generator's own count of seconds, its peak memory, and whether it was reused."""
    pgdata = DATA_DIR / f"pgdata-{size}"
    stamp_path = DATA_DIR / f"pgdata-{size}.json"
    stamp = {"entries": size, "seed": SEED, "code": fingerprint()}
    current = json.loads(stamp_path.read_text()) if stamp_path.exists() else None
    figures = (current or {}).pop("build", None)
    if current != stamp and pgdata.exists():
        log(f"{size:,} entries: the code changed, rebuilding the database")
        embedded_db.stop(pgdata)
        shutil.rmtree(pgdata)
    try:
        url = embedded_db.ensure_running(pgdata)
        env = {**env, "DATABASE_URL": url}
        if current != stamp or not stamp_path.exists():
            stamp_path.unlink(missing_ok=True)
            log(f"{size:,} entries: migrate")
            _out, migrate_seconds, _memory = measured_command(env, "migrate", "--no-input", "-v0")
            log(f"{size:,} entries: generate_labs --count {size} --seed {SEED}")
            out, seconds, memory = measured_command(
                env, "generate_labs", "--count", str(size), "--seed", str(SEED)
            )
            found = GENERATED.search(out)
            figures = {
                "migrate_seconds": migrate_seconds,
                "generate_seconds": seconds,
                "generator_seconds": float(found.group(2)) if found else None,
                "generate_peak_kib": memory,
                "generated": int(found.group(1)) if found else None,
                "output": out.strip(),
            }
            log(f"  {out.strip()} (command: {seconds:.1f} s, peak memory {memory / 1024:,.0f} MiB)")
            stamp_path.write_text(json.dumps({**stamp, "build": figures}))
            build["reused"] = False
        else:
            log(f"{size:,} entries: reusing the database built before")
            build["reused"] = True
        build.update(figures or {})
        yield url
    finally:
        embedded_db.stop(pgdata)


def postgres_facts(url: str) -> dict:
    """The server's version and the database's size on disk."""
    import psycopg

    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"version": version, "database_bytes": size}


# Serving and loading --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the portal, as in production."""

    def __init__(self, env: dict[str, str], config: dict, cached: bool, name: str):
        self.port = free_port()
        self.workers = config["workers"]
        self.access_log = DATA_DIR / f"{name}.access.log"
        self.error_log = DATA_DIR / f"{name}.error.log"
        self.access_log.unlink(missing_ok=True)
        self.error_log.unlink(missing_ok=True)
        self.env = {**env, "PORTAL_PAGE_CACHE_SECONDS": "600" if cached else "0"}
        self.command = [
            PY,
            "-m",
            "gunicorn",
            "cnrs_intl.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--no-control-socket",
            "--timeout",
            str(config["worker_timeout"]),
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            "%(s)s %(D)s %(U)s",
            "--error-logfile",
            str(self.error_log),
        ]
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=BASE_DIR, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.error_log}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within a minute")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(self, method, path, headers=None, body=None, timeout=REQUEST_TIMEOUT):
        """One request as the proxy would pass it on: (status, headers, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(
                method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.msg, response.read()
        finally:
            connection.close()

    def sign_in(self, username: str, password: str) -> str:
        """The Cookie header of a staff session opened through the admin login form."""
        status, headers, body = self.request("GET", "/admin/login/")
        if status != 200:
            raise RuntimeError(f"/admin/login/ answered {status}")
        cookies = cookies_from(headers)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.decode(),
                "next": "/admin/",
            }
        )
        status, headers, _body = self.request(
            "POST",
            "/admin/login/",
            headers={
                "Cookie": cookie_header(cookies),
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/admin/login/",
            },
            body=form,
        )
        cookies.update(cookies_from(headers))
        if status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"signing in as {username} failed ({status})")
        return cookie_header(cookies)

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the master process."""
        master = self.process.pid
        path = Path(f"/proc/{master}/task/{master}/children")
        if path.exists():
            return sorted(int(pid) for pid in path.read_text().split())
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(stat.parent.name))
        return sorted(children)

    def worker_memory(self) -> list[dict]:
        """Resident memory of each worker now (VmRSS) and at its peak (VmHWM), in KiB."""
        found = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            found.append(
                {
                    "pid": pid,
                    "rss_kib": int(fields["VmRSS"].split()[0]),
                    "hwm_kib": int(fields["VmHWM"].split()[0]),
                }
            )
        return found

    def worker_events(self) -> dict:
        """Workers killed or restarted while serving, from gunicorn's log (read before
        stopping it: the workers' exits at shutdown are not counted)."""
        text = self.error_log.read_text(errors="replace") if self.error_log.exists() else ""
        lines = text.splitlines()

        def matching(*needles):
            return [line for line in lines if any(needle in line for needle in needles)]

        timeouts = matching("WORKER TIMEOUT")
        killed = matching("was sent SIG", "terminated due to signal", "exited with code")
        boots = matching("Booting worker")
        return {
            "timeouts": len(timeouts),
            "killed": len(killed),
            "restarts": max(0, len(boots) - self.workers),
            "lines": (timeouts + killed)[:10],
        }

    def drain(self) -> None:
        """Wait until the requests left queued by a load have been served."""
        self.request("GET", "/healthz", timeout=DRAIN_TIMEOUT)

    def log_offset(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def logged_requests(self, offset: int, path: str) -> list[tuple[int, int]]:
        """(status, microseconds in the worker) of the requests for ``path`` (its query
        string aside) logged after ``offset``."""
        with self.access_log.open("rb") as handle:
            handle.seek(offset)
            lines = handle.read().decode().split("\n")
        path = urllib.parse.urlsplit(path).path
        fields = [line.split(" ", 2) for line in lines]
        return [(int(f[0]), int(f[1])) for f in fields if len(f) == 3 and f[2] == path]


def cookies_from(headers) -> dict[str, str]:
    jar = http.cookies.SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def wrk(
    server: Server,
    path: str,
    seconds: int,
    config: dict,
    cookie: str | None,
    connections: int | None = None,
) -> dict:
    """wrk on ``path`` for ``seconds``, with the configured connections unless told."""
    connections = connections or config["connections"]
    command = [
        "wrk",
        "-t",
        str(min(config["threads"], connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BASE_DIR / "bench" / "report.lua"),
        "-H",
        "X-Forwarded-Proto: https",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{server.port}{path}")
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    line = [text for text in result.stdout.splitlines() if text.startswith("{")][-1]
    return json.loads(line)


def percentile(values: list[int], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed_request(server: Server, path: str, headers=None) -> tuple[int, dict, bytes, float]:
    """One GET: (status, headers, body, milliseconds until the whole answer was read)."""
    started = time.perf_counter()
    status, answer_headers, body = server.request("GET", path, headers)
    return status, answer_headers, body, (time.perf_counter() - started) * 1000


def measure(
    server: Server,
    page: dict,
    config: dict,
    cookie: str | None,
    cached: bool,
    connections: int | None = None,
) -> dict:
    """Load one page: check it answers 200 (and comes from the cache when it should).

    ``first_ms`` is the time of the first request, before any load (the first rendering of
    the page by this server with the page cache off; a cache miss with it on)."""
    headers = {"Cookie": cookie} if cookie else {}
    try:
        status, answer_headers, body, first_ms = timed_request(server, page["url"], headers)
    except TimeoutError:
        return {"status": f"no answer within {REQUEST_TIMEOUT} s"}
    result = {"status": status, "bytes": len(body), "first_ms": first_ms}
    if status != 200:
        return result
    if cached and page["page_cache"]:
        status, answer_headers, body = server.request("GET", page["url"], headers)
        result["cache"] = answer_headers.get("X-Page-Cache")
    if config["warmup"]:
        wrk(server, page["url"], config["warmup"], config, cookie, connections)
        server.drain()
    offset = server.log_offset()
    figures = wrk(server, page["url"], config["duration"], config, cookie, connections)
    # Requests still queued when wrk stops are served (and logged) before the next page.
    server.drain()
    logged = server.logged_requests(offset, page["url"])
    times = [micros for _status, micros in logged]
    seconds = figures["duration_us"] / 1e6
    # Socket errors, timeouts, and any answer but 200 (a redirect is not the page).
    errors = sum(
        figures[name] for name in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    errors += sum(1 for status, _micros in logged if status != 200)
    done = figures["requests"] > 0
    result.update(
        connections=connections or config["connections"],
        rps=figures["requests"] / seconds,
        requests=figures["requests"],
        errors=errors,
        p50_ms=figures["p50_us"] / 1000 if done else None,
        p95_ms=figures["p95_us"] / 1000 if done else None,
        p99_ms=figures["p99_us"] / 1000 if done else None,
        max_ms=figures["max_us"] / 1000 if done else None,
        server_requests=len(logged),
        server_p50_ms=ms(percentile(times, 0.50)),
        server_p95_ms=ms(percentile(times, 0.95)),
        server_p99_ms=ms(percentile(times, 0.99)),
    )
    return result


def ms(microseconds):
    return None if microseconds is None else microseconds / 1000


def bench_size(size: int, environment: dict, config: dict, explain: bool) -> dict:
    run = {
        "size": size,
        "started": datetime.datetime.now(datetime.UTC),
        "load_before": os.getloadavg(),
        "modes": {},
        "single": {},
        "memory": {},
        "worker_events": {},
        "build": {},
    }
    build_started = time.monotonic()
    with bench_database(size, environment, run["build"]) as url:
        run["build_seconds"] = time.monotonic() - build_started
        # With the bench database's URL: the settings never start the developer's .pgdata.
        env = {**environment, "DATABASE_URL": url}
        log("collecting static files (the manifest storage of production)")
        django_command(env, "collectstatic", "--no-input", "-v0")
        run.update(postgres_facts(url))
        run["postgres"] = run.pop("version")
        django_command(
            {**env, "PORTAL_PASSWORD": env["BENCH_PASSWORD"]},
            "add_user",
            STAFF_USERNAME,
            "--role",
            "staff",
        )
        facts = json.loads(python_module(env, "bench.prepare"))
        run["entries"] = facts["entries"]
        wanted = set(setting("BENCH_PAGES").split()) | {"healthz"}
        run["pages"] = [page for page in facts["pages"] if "all" in wanted or page["key"] in wanted]
        for mode in MODES:
            cached = mode == "cached"
            with Server(env, config, cached, f"{size}-{mode}") as server:
                run["modes"][mode] = load_pages(server, run, mode, config, env)
                if not cached:
                    run["single"] = load_one_at_a_time(server, run, config)
                run["memory"][mode] = server.worker_memory()
                log(f"  workers' memory: {memory_summary(run['memory'][mode])}")
                # The target: no request waits on a rebuild after an edit (page cache off,
                # where every request renders); with the cache on, for information, the
                # first visit of each page after the edit renders it again.
                if facts.get("edit"):
                    run["edit" if not cached else "edit_cached"] = edit_check(
                        server, run, env, facts["edit"]
                    )
                run["worker_events"][mode] = server.worker_events()
                log(f"  workers killed or restarted: {run['worker_events'][mode]}")
        if explain:
            log(f"{size:,} entries: EXPLAIN ANALYZE of the key pages' queries")
            run["plans"] = python_module(env, "bench.explain")
    return run


def load_pages(server: Server, run: dict, mode: str, config: dict, env: dict) -> dict:
    """Each page under load (16 connections): every page with the page cache off, the
    public pages and /healthz with it on."""
    cached = mode == "cached"
    results = {}
    cookie = None
    for page in run["pages"]:
        if page["url"] is None:
            results[page["key"]] = {"status": "no data" if page.get("no_data") else "missing"}
            continue
        if cached and not (page["public"] or page["key"] == "healthz"):
            continue
        if page["staff"] and cookie is None:
            cookie = server.sign_in(STAFF_USERNAME, env["BENCH_PASSWORD"])
        log(f"{run['size']:,} entries, {mode}: {page['label']} ({page['url']})")
        try:
            results[page["key"]] = measure(
                server, page, config, cookie if page["staff"] else None, cached
            )
        except TimeoutError:
            results[page["key"]] = {"status": f"no answer within {DRAIN_TIMEOUT} s"}
        log(f"  {summary(results[page['key']])}")
    return results


def load_one_at_a_time(server: Server, run: dict, config: dict) -> dict:
    """The labs list and the filtered list with the page cache off, 1 connection."""
    results = {}
    for page in run["pages"]:
        if page["key"] not in SINGLE_PAGES or page["url"] is None:
            continue
        log(f"{run['size']:,} entries, one request at a time: {page['label']}")
        try:
            results[page["key"]] = measure(server, page, config, None, False, connections=1)
        except TimeoutError:
            results[page["key"]] = {"status": f"no answer within {DRAIN_TIMEOUT} s"}
        log(f"  {summary(results[page['key']])}")
    return results


RENAME = """
import os, re
from django.apps import apps
from django.db import transaction
lab = apps.get_model("laboratories", "Lab").objects.get(slug=os.environ["BENCH_EDIT_SLUG"])
mark = os.environ["BENCH_EDIT_MARK"]
earlier = re.escape(mark).replace(re.escape("{}"), r"\\d+") + "$"
lab.name_fr = re.sub(earlier, "", lab.name_fr) + mark.format(os.environ["BENCH_EDIT_STAMP"])
with transaction.atomic():  # one transaction, as an admin request is
    lab.save()
print(lab.name_fr)
"""


def edit_check(server: Server, run: dict, env: dict, target: dict) -> dict:
    """One real write while the portal serves: the requests that follow, one at a time.

    100 requests (the labs list and the filtered list in turn), then
    ``manage.py shell`` renames a published lab the filtered list shows (``save()`` in one
    transaction, as an admin request is), then the next 100 requests. Each is timed
    in full from this process; the lab's page must then show the new name."""
    pages = [page for page in run["pages"] if page["key"] in EDIT_PAGES and page["url"]]
    if not pages:
        return {"status": "missing"}
    log(
        f"{run['size']:,} entries: edit check, {EDIT_REQUESTS} requests, one write, "
        f"{EDIT_REQUESTS} more"
    )
    for page in pages:  # both pages in the cache first
        server.request("GET", page["url"])

    def requests(count: int) -> list[dict]:
        done = []
        for number in range(count):
            page = pages[number % len(pages)]
            status, headers, _body, elapsed = timed_request(server, page["url"])
            done.append(
                {
                    "key": page["key"],
                    "ms": elapsed,
                    "status": status,
                    "cache": headers.get("X-Page-Cache"),
                }
            )
        return done

    before = requests(EDIT_REQUESTS)
    slug = target["slug"]
    written = django_command(
        {
            **env,
            "BENCH_EDIT_SLUG": slug,
            "BENCH_EDIT_MARK": EDIT_MARK,
            "BENCH_EDIT_STAMP": str(int(time.time())),
        },
        "shell",
        "-c",
        RENAME,
    )
    new_name = written.strip().splitlines()[-1]
    after = requests(EDIT_REQUESTS)
    shown = None
    if target.get("url"):
        _status, _headers, body = server.request("GET", target["url"])
        shown = new_name.encode() in body or html_escaped(new_name).encode() in body
    median = statistics.median(item["ms"] for item in before)
    # Each request is judged against the median of its own page: the two pages differ in
    # cost (the filtered list counts its facets), so a median of both would call the
    # dearer page's ordinary spread an outlier.
    page_medians = {
        key: statistics.median(item["ms"] for item in before if item["key"] == key)
        for key in {item["key"] for item in before}
    }
    slow = [
        {"index": index, **item}
        for index, item in enumerate(after)
        if item["ms"] > 2 * page_medians[item["key"]]
    ]
    result = {
        "slug": slug,
        "new_name": new_name,
        "new_name_shown": shown,
        "median_before_ms": median,
        "page_medians_before_ms": page_medians,
        "max_before_ms": max(item["ms"] for item in before),
        "median_after_ms": statistics.median(item["ms"] for item in after),
        "max_after_ms": max(item["ms"] for item in after),
        "after_requests": len(after),
        "over_twice_median": slow,
        "misses_after": sum(1 for item in after if item["cache"] != "hit"),
        "errors": sum(1 for item in before + after if item["status"] != 200),
        "first_after": after[: len(pages) * 2],
    }
    log(
        f"  medians before {page_medians}; after: max {result['max_after_ms']:.1f} ms, "
        f"{len(slow)} over twice their page's median, new name shown: {shown}"
    )
    return result


def html_escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def memory_summary(workers: list[dict]) -> str:
    return ", ".join(
        f"{item['rss_kib'] / 1024:.0f} MiB (peak {item['hwm_kib'] / 1024:.0f})" for item in workers
    )


def summary(result: dict) -> str:
    if "rps" not in result:
        return f"status {result['status']}"
    return (
        f"{result['rps']:.1f} req/s, p50 {fmt(result['p50_ms'])} ms, "
        f"p99 {fmt(result['p99_ms'])} ms, server p95 {fmt(result['server_p95_ms'])} ms, "
        f"{result['errors']} errors"
    )


def fmt(value) -> str:
    return "–" if value is None else f"{value:.1f}"


# The machine ----------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        total_kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    dirty = ", ".join(line[3:] for line in changed)
    import django
    import gunicorn

    return {
        "nproc": os.cpu_count(),
        "memory_gib": total_kb / 1024 / 1024,
        "cpu": cpu,
        "system": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "wrk": (wrk_version.stdout or wrk_version.stderr).split("\n")[0].strip(),
        "commit": commit + (f" with uncommitted changes to {dirty}" if dirty else ""),
        "load": os.getloadavg(),
    }


if __name__ == "__main__":
    sys.exit(main())
