"""The production stack, run on this machine as it runs in production (deploy/README.md).

Two gunicorns from ``deploy/gunicorn.conf.py`` stand for two app servers, behind nginx with
``deploy/nginx/portal.conf.template``; PostgreSQL is the server at 127.0.0.1:5432 (a database
of this test's own), Redis a ``redis-server`` of this test's own (so that stopping it stops
no one else's), DEBUG off, static files collected. The tests run in order on one stack: an
edit through one app server is read at once through the proxy from both, and Redis stopped
leaves pages served without an error (public pages are kept in PostgreSQL, not in Redis).

Needs nginx and redis-server (Debian's nginx-light and redis-server; ``.ci/run`` installs
them when missing). Without them, or without the PostgreSQL server, the tests are skipped,
except in CI (``CI`` set), where they fail.
"""

import contextlib
import csv
import html
import http.client
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from string import Template

import psycopg
import pytest

pytestmark = pytest.mark.serial

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SERVER = "postgresql://postgres@127.0.0.1:5432"
HOST = "portal.test"
LAB = "cintra"
NEW_NAME = "Cintra, renamed through app server A"
PUBLIC_PAGES = {
    "lab page": f"/en/labs/{LAB}/",
    "labs list": "/en/labs/?country=SG",
    "CSV export": "/en/labs/?country=SG&format=csv",
}
READS = 6  # per page and round: enough for nginx's round robin to reach both servers


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the production stack: {reason}")
    pytest.skip(reason)


def executable(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not found:
        unavailable(f"{name} is not installed (apt-get install nginx-light redis-server)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped (exit {process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on {port} within {seconds} s")


def stop(process: subprocess.Popen):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


@dataclass
class Client:
    """HTTP/1.1 to one port, as the visitor's browser behind a TLS-ending load balancer."""

    port: int
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=40)
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name] = rest.split(";", 1)[0]
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)


class FormReader(HTMLParser):
    """The values a browser would send for the form with ``form_id``."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select = None
        self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(attrs["name"], attrs.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.add(attrs["name"], attrs.get("value") or "")
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.add(self.textarea, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            values = self.data[self.textarea]
            values[-1] = values[-1].removeprefix("\n")  # as a browser reads it
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def form_values(page: str, form_id: str) -> dict[str, list[str]]:
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.data


@dataclass
class Stack:
    proxy: Client
    app_ports: list[int]
    work: Path
    env: dict
    redis: subprocess.Popen
    password: str

    def access_log(self) -> list[dict]:
        lines = (self.work / "nginx-access.log").read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def app_log(self, index: int) -> list[dict]:
        records = []
        for stream in ("out", "err"):
            for line in (self.work / f"app{index}.{stream}").read_text().splitlines():
                with contextlib.suppress(ValueError):
                    records.append(json.loads(line))
        return records


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    nginx = executable("nginx")
    redis_server = executable("redis-server")
    try:
        psycopg.connect(f"{SERVER}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        unavailable(f"no PostgreSQL server at 127.0.0.1:5432 ({exc})")

    work = tmp_path_factory.mktemp("stack")
    name = f"portal_stack_{os.getpid()}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    processes: list[subprocess.Popen] = []
    redis_port, proxy_port = free_port(), free_port()
    app_ports = [free_port(), free_port()]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "stack-test-secret-key-4b8e0c2a9f7d1e3b5a6c8d0e2f4a6b8c0d2e4f6a",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"{SERVER}/{name}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "PORTAL_TRUSTED_PROXIES": "1",
        "WEB_CONCURRENCY": "2",
        "PORTAL_WORKER_TMP_DIR": str(work),
    }
    try:
        # The deploy steps, as deploy/README.md gives them.
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
        )
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo", "--accounts-file", str(work / "accounts.txt"))
        assert collect.wait(timeout=300) == 0
        (work / "media" / "fact-sheets").mkdir(parents=True)
        (work / "media" / "fact-sheets" / "irl.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
        password = next(
            line.split("\t")[1]
            for line in (work / "accounts.txt").read_text().splitlines()
            if line.startswith("derci\t")
        )

        redis = subprocess.Popen(
            [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(work)],
            stdout=subprocess.DEVNULL,
        )
        processes.append(redis)
        for index, port in enumerate(app_ports):
            app = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")]
                + ["cnrs_intl.wsgi"],
                cwd=ROOT,
                env={**env, "PORTAL_BIND": f"127.0.0.1:{port}"},
                stdout=(work / f"app{index}.out").open("w"),
                stderr=(work / f"app{index}.err").open("w"),
            )
            processes.append(app)
        template = Template((DEPLOY / "nginx" / "portal.conf.template").read_text())
        site = template.safe_substitute(
            PORTAL_UPSTREAMS=" ".join(f"server 127.0.0.1:{port};" for port in app_ports),
            PORTAL_FORWARDED_PROTO="$http_x_forwarded_proto",  # behind a TLS-ending balancer
            PORTAL_LISTEN=f"127.0.0.1:{proxy_port}",
            PORTAL_SERVER_NAME=HOST,
            PORTAL_ACCESS_LOG=str(work / "nginx-access.log"),
            PORTAL_STATIC_ROOT=str(work / "static"),
            PORTAL_MEDIA_ROOT=str(work / "media"),
        )
        assert "${" not in site
        (work / "portal.conf").write_text(site)
        # What Debian's /etc/nginx/nginx.conf gives, for an unprivileged nginx in `work`.
        # Workers of a root master run as nobody, who cannot read pytest's private folders.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (work / "nginx.conf").write_text(
            f"{user}pid {work}/nginx.pid;\nerror_log {work}/nginx-error.log warn;\n"
            "events { worker_connections 256; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  client_body_temp_path {work}/client_body;\n  proxy_temp_path {work}/proxy;\n"
            f"  fastcgi_temp_path {work}/fastcgi;\n  uwsgi_temp_path {work}/uwsgi;\n"
            f"  scgi_temp_path {work}/scgi;\n  include {work}/portal.conf;\n}}\n"
        )
        proxy = subprocess.Popen(
            [nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
            stderr=(work / "nginx.err").open("w"),
        )
        processes.append(proxy)
        wait_for_port(redis_port, redis, "redis-server")
        for port, app in zip(app_ports, processes[1:3], strict=True):
            wait_for_port(port, app, "gunicorn")
        wait_for_port(proxy_port, proxy, "nginx")
        for port in app_ports:  # a worker has loaded the portal
            assert Client(port).get("/readyz").status == 200
        yield Stack(Client(proxy_port), app_ports, work, env, redis, password)
    finally:
        for process in reversed(processes):
            stop(process)
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def lab_name(answer: Answer, page: str) -> str:
    """The lab's name as the page shows it (the CSV's name column for the export)."""
    if page == "CSV export":
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        return next(row["name"] for row in rows if row["slug"] == LAB)
    return html.unescape(answer.text)


def read_everything(stack: Stack) -> dict[str, list[Answer]]:
    return {
        page: [stack.proxy.get(path) for _ in range(READS)] for page, path in PUBLIC_PAGES.items()
    }


def upstreams_since(stack: Stack, start: int) -> set[str]:
    return {line["upstream"] for line in stack.access_log()[start:] if line["upstream"]}


def errors_logged(stack: Stack) -> list[dict]:
    return [
        record
        for index in range(len(stack.app_ports))
        for record in stack.app_log(index)
        if record.get("level") in {"ERROR", "CRITICAL"} or record.get("status", 0) >= 500
    ]


# --- The tests, in order, on one stack --------------------------------------------------------


def test_static_files_and_fact_sheets_are_served_by_the_proxy_with_long_cache(stack):
    page = stack.proxy.get("/en/instruments/")
    assert page.status == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)

    static = stack.proxy.get(stylesheet)
    sheet = stack.proxy.get("/media/fact-sheets/irl.pdf")

    assert static.status == 200
    assert static.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (sheet.status, sheet.headers["content-type"]) == (200, "application/pdf")
    assert sheet.headers["cache-control"] == "public, max-age=2592000"
    assert sheet.headers["x-content-type-options"] == "nosniff"
    assert not any("/static/" in line["uri"] and line["upstream"] for line in stack.access_log())


def test_an_edit_through_one_app_server_is_read_at_once_through_the_proxy(stack):
    before = read_everything(stack)  # fills the page cache of both servers
    for page, answers in before.items():
        assert {answer.status for answer in answers} == {200}, page
        assert NEW_NAME not in lab_name(answers[0], page)
    assert any(a.headers.get("x-page-cache") == "hit" for a in before["lab page"])

    staff = Client(stack.app_ports[0])  # app server A, directly
    login = staff.get("/admin/login/")
    signed_in = staff.request(
        "POST",
        "/admin/login/",
        {
            "csrfmiddlewaretoken": form_values(login.text, "login-form")["csrfmiddlewaretoken"],
            "username": "derci",
            "password": stack.password,
            "next": "/admin/",
        },
    )
    assert signed_in.status == 302, signed_in.text[:500]
    with psycopg.connect(stack.env["DATABASE_URL"]) as connection:
        query = "SELECT id FROM laboratories_lab WHERE slug = %s"
        (pk,) = connection.execute(query, [LAB]).fetchone()
    change = f"/admin/laboratories/lab/{pk}/change/"
    data = form_values(staff.get(change).text, "lab_form")
    data.update(name_en=[NEW_NAME], name_fr=[NEW_NAME], _save=["Save"])
    saved = staff.request("POST", change, data)
    assert saved.status == 302, re.findall(r'class="errorlist[^"]*">(.*?)</ul>', saved.text)

    log_start = len(stack.access_log())
    after = read_everything(stack)

    for page, answers in after.items():
        assert {answer.status for answer in answers} == {200}, page
        for answer in answers:  # every answer, from either server: none stale
            assert NEW_NAME in lab_name(answer, page), page
    served_by = upstreams_since(stack, log_start)
    assert served_by == {f"127.0.0.1:{port}" for port in stack.app_ports}
    assert errors_logged(stack) == []


def test_with_redis_stopped_pages_are_served_without_error(stack):
    """The shared cache (the labs' counts, the API's throttle) is gone: the counts are made
    again in PostgreSQL; public pages stay kept in PostgreSQL's page cache."""
    stop(stack.redis)
    log_start = len(stack.access_log())

    answers = read_everything(stack)

    for page, page_answers in answers.items():
        assert {answer.status for answer in page_answers} == {200}, page
        assert all(NEW_NAME in lab_name(answer, page) for answer in page_answers), page
    assert upstreams_since(stack, log_start) == {f"127.0.0.1:{p}" for p in stack.app_ports}
    assert errors_logged(stack) == []
    assert stack.proxy.get("/readyz").status == 200


def test_each_request_is_one_json_line_sharing_the_proxys_request_id(stack):
    proxied = [line for line in stack.access_log() if line["upstream"]]
    logged = {
        record["request_id"]: record
        for index in range(len(stack.app_ports))
        for record in stack.app_log(index)
        if record.get("logger") == "portal.request"
    }

    for line in proxied:
        record = logged[line["request_id"]]
        assert record["status"] == line["status"]
        assert record["path"] == urllib.parse.urlsplit(line["uri"]).path
        assert record["duration_ms"] >= 0
    assert any(record["user_id"] for record in logged.values())  # the staff edit
