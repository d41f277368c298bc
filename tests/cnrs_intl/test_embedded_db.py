"""The embedded PostgreSQL: starts, is reused, keeps its data and stops."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from cnrs_intl import embedded_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pgdata():
    # Not tmp_path: pytest prunes old numbered temp folders, which a parallel run could do
    # under a running server.
    parent = Path(tempfile.mkdtemp(prefix="cnrs-intl-pgtest-"))
    folder = parent / "pgdata"
    yield folder
    embedded_db.stop(folder)
    shutil.rmtree(parent, ignore_errors=True)


def test_starts_is_reused_and_keeps_its_data_across_restarts(pgdata):
    url = embedded_db.ensure_running(pgdata)
    assert embedded_db.is_running(pgdata)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE kept (value text)")
        connection.execute("INSERT INTO kept VALUES ('still here')")
        first_pid = connection.execute("SELECT pg_backend_pid()").fetchone()

    # A second start reuses the running server: same address, nothing re-initialised.
    assert embedded_db.ensure_running(pgdata) == url
    assert first_pid is not None

    assert embedded_db.stop(pgdata) is True
    assert not embedded_db.is_running(pgdata)
    assert embedded_db.stop(pgdata) is False

    url = embedded_db.ensure_running(pgdata)
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT value FROM kept").fetchall() == [("still here",)]


def test_a_dead_handle_left_by_a_killed_process_does_not_block_a_start(pgdata):
    embedded_db.ensure_running(pgdata)
    embedded_db.stop(pgdata)
    (pgdata / ".handle_pids.json").write_text("[999999]")
    url = embedded_db.ensure_running(pgdata)
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_run_wrapper_on_sigterm_stops_the_command_and_the_server(pgdata):
    """`make run` stopped with SIGTERM (or Ctrl-C) leaves no process behind."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["EMBEDDED_PGDATA"] = str(pgdata)
    command = [
        sys.executable,
        "-c",
        "import os, time; print(os.environ['DATABASE_URL'], flush=True); time.sleep(60)",
    ]
    wrapper = subprocess.Popen(
        [sys.executable, "-m", "cnrs_intl.embedded_db", "run", "--", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    url = wrapper.stdout.readline().strip()
    assert url.startswith("postgresql://")
    assert embedded_db.is_running(pgdata)

    wrapper.send_signal(signal.SIGTERM)
    wrapper.wait(timeout=30)
    assert not embedded_db.is_running(pgdata)
    leftovers = subprocess.run(
        ["pgrep", "-f", "time.sleep(60)"], capture_output=True, text=True
    ).stdout.split()
    assert not leftovers
