"""`make bench`: build the bench databases, serve them as in production, load them, report.

For each size (10,000 and 100,000 entries unless BENCH_SIZES says otherwise) the bench:

1. builds a database in its own embedded PostgreSQL data folder, ``.bench/pgdata-<size>``
   (``migrate`` then ``generate_labs``), never the developer's ``.pgdata``; a folder built
   from the same migrations and generator is reused;
2. serves it with gunicorn as in production (``DJANGO_DEBUG=false``, a secret key, sync
   workers, requests marked HTTPS as by the proxy), once with the public page cache off and
   once with it on;
3. loads each page with wrk from this second process on 127.0.0.1 (16 connections), after
   a warm-up, and reads the server-side time of every request from gunicorn's access log;
4. runs EXPLAIN ANALYZE on the queries of the key pages of the largest database.

It then rewrites BENCHMARKS.md. Settings, all optional: BENCH_SIZES ("10000 100000"),
BENCH_DURATION (seconds per page, 10), BENCH_WARMUP (2), BENCH_CONNECTIONS (16),
BENCH_THREADS (wrk threads, 2), BENCH_WORKERS (gunicorn workers, 4), BENCH_PAGES (keys of
the pages to measure, as in bench/prepare.py, "all"), BENCH_REPORT (the file to write,
BENCHMARKS.md). ``python -m bench.run --report-only`` writes the report
again from the figures of the last run, for instance after editing bench/notes.md.
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
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from cnrs_intl import embedded_db

from . import report

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".bench"
PY = sys.executable
SEED = 1
DEFAULTS = {
    "BENCH_SIZES": "10000 100000",
    "BENCH_DURATION": "10",
    "BENCH_WARMUP": "2",
    "BENCH_CONNECTIONS": "16",
    "BENCH_THREADS": "2",
    "BENCH_WORKERS": "4",
    "BENCH_REPORT": "BENCHMARKS.md",
    "BENCH_PAGES": "all",
}
MODES = ("uncached", "cached")
REQUEST_TIMEOUT = 120  # seconds for one request outside the load
DRAIN_TIMEOUT = 900  # seconds for the queue a load leaves behind to empty
LAST_RUN = DATA_DIR / "last-run.json"  # `python -m bench.run --report-only` reads it


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
        "cache": "Redis" if os.environ.get("REDIS_URL") else "PostgreSQL table (DatabaseCache)",
    }
    DATA_DIR.mkdir(exist_ok=True)
    environment = production_environment()
    log("collecting static files (the manifest storage of production)")
    django_command(environment, "collectstatic", "--no-input", "-v0")
    runs = []
    for size in sizes:
        runs.append(bench_size(size, environment, config, explain=size == max(sizes)))
    figures = {
        "config": config,
        "machine": machine(),
        "runs": runs,
        "command": report.bench_command(),
    }
    LAST_RUN.write_text(json.dumps(figures, default=str, indent=1))
    return write_report(figures)


def rewrite_report() -> int:
    """BENCHMARKS.md again from the figures of the last run (after editing the notes)."""
    figures = json.loads(LAST_RUN.read_text())
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
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def python_module(env: dict[str, str], module: str) -> str:
    result = subprocess.run(
        [PY, "-m", module], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"python -m {module} failed:\n{result.stderr}")
    return result.stdout


# Databases ------------------------------------------------------------------------------


def fingerprint() -> str:
    """What the database content follows from: the migrations and the generator."""
    digest = hashlib.sha256()
    files = sorted(BASE_DIR.glob("*/migrations/*.py"))
    files += sorted((BASE_DIR / "laboratories").glob("generation*.py"))
    files.append(BASE_DIR / "laboratories" / "regions.py")
    for path in files:
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@contextmanager
def bench_database(size: int, env: dict[str, str]):
    """The embedded server of this size's data folder, built if needed; yields its URL."""
    pgdata = DATA_DIR / f"pgdata-{size}"
    stamp_path = DATA_DIR / f"pgdata-{size}.json"
    stamp = {"entries": size, "seed": SEED, "code": fingerprint()}
    current = json.loads(stamp_path.read_text()) if stamp_path.exists() else None
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
            django_command(env, "migrate", "--no-input", "-v0")
            log(f"{size:,} entries: generate_labs --count {size} --seed {SEED}")
            started = time.monotonic()
            out = django_command(env, "generate_labs", "--count", str(size), "--seed", str(SEED))
            log(f"  {out.strip()} (command: {time.monotonic() - started:.1f} s)")
            stamp_path.write_text(json.dumps(stamp))
        else:
            log(f"{size:,} entries: reusing the database built before")
        yield url
    finally:
        embedded_db.stop(pgdata)


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


# Serving and loading --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the portal, as in production."""

    def __init__(self, env: dict[str, str], workers: int, cached: bool, name: str):
        self.port = free_port()
        self.access_log = DATA_DIR / f"{name}.access.log"
        self.error_log = DATA_DIR / f"{name}.error.log"
        self.access_log.unlink(missing_ok=True)
        self.env = {**env, "PORTAL_PAGE_CACHE_SECONDS": "600" if cached else "0"}
        self.command = [
            PY,
            "-m",
            "gunicorn",
            "cnrs_intl.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--no-control-socket",
            "--timeout",
            "120",
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


def wrk(server: Server, path: str, seconds: int, config: dict, cookie: str | None) -> dict:
    command = [
        "wrk",
        "-t",
        str(config["threads"]),
        "-c",
        str(config["connections"]),
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


def measure(server: Server, page: dict, config: dict, cookie: str | None, cached: bool) -> dict:
    """Load one page: check it answers 200 (and comes from the cache when it should)."""
    headers = {"Cookie": cookie} if cookie else {}
    try:
        status, answer_headers, body = server.request("GET", page["url"], headers)
    except TimeoutError:
        return {"status": f"no answer within {REQUEST_TIMEOUT} s"}
    result = {"status": status, "bytes": len(body)}
    if status != 200:
        return result
    if cached and page["public"]:
        status, answer_headers, body = server.request("GET", page["url"], headers)
        result["cache"] = answer_headers.get("X-Page-Cache")
    if config["warmup"]:
        wrk(server, page["url"], config["warmup"], config, cookie)
        server.drain()
    offset = server.log_offset()
    figures = wrk(server, page["url"], config["duration"], config, cookie)
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
    }
    build_started = time.monotonic()
    with bench_database(size, environment) as url:
        run["build_seconds"] = time.monotonic() - build_started
        env = {**environment, "DATABASE_URL": url}
        run["postgres"] = postgres_version(url)
        facts = json.loads(python_module(env, "bench.prepare"))
        run["entries"] = facts["entries"]
        run["pages"] = facts["pages"]
        wanted = set(setting("BENCH_PAGES").split()) | {"healthz"}
        run["pages"] = [page for page in run["pages"] if "all" in wanted or page["key"] in wanted]
        for mode in MODES:
            cached = mode == "cached"
            results = {}
            with Server(env, config["workers"], cached, f"{size}-{mode}") as server:
                cookie = None
                for page in run["pages"]:
                    if page["url"] is None:
                        results[page["key"]] = {"status": "missing"}
                        continue
                    if cached and not (page["public"] or page["key"] == "healthz"):
                        continue
                    if page["staff"] and cookie is None:
                        cookie = server.sign_in("bench-staff", env["BENCH_PASSWORD"])
                    log(f"{size:,} entries, {mode}: {page['label']} ({page['url']})")
                    try:
                        results[page["key"]] = measure(
                            server, page, config, cookie if page["staff"] else None, cached
                        )
                    except TimeoutError:
                        results[page["key"]] = {"status": f"no answer within {DRAIN_TIMEOUT} s"}
                    log(f"  {summary(results[page['key']])}")
            run["modes"][mode] = results
        if explain:
            log(f"{size:,} entries: EXPLAIN ANALYZE of the key pages' queries")
            run["plans"] = python_module(env, "bench.explain")
    return run


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
