"""The content version: one number that changes with every committed write to public content.

Caches that hold what the public sees (rendered pages, the labs list's unfiltered counts) key
their entries by it, so an entry is never used for other data, whichever process, host or
tool (the admin, an import, ``psql``) wrote.

How it is kept, without serialising writers: triggers on every table of the content apps
insert the writing transaction's id into ``core_contentchange``, once per transaction
(``ON CONFLICT DO NOTHING`` on that id: two transactions never touch the same row, so
they never wait on each other). Statements that change no row record nothing (the triggers
look at their transition tables). A row becomes visible when its transaction commits, so the
version a reader sees, the largest transaction id it can see, names the committed state it
reads.

One case needs care: transactions do not commit in the order of their ids. While a writer
that started before the latest visible change is still running, a page rendered now could
miss that writer's change although the version already counts a later one. :func:`read`
says so (``settled`` is false: another running transaction is older than the version) and
caches then serve but do not store. Read transactions take no id and never count.

Which apps hold content: those whose ``AppConfig`` says ``public_content = True``. Their
tables (many-to-many and history tables included) get the triggers after every
``migrate`` (``post_migrate``), so a new model is tracked with no further step.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connections

FUNCTION = "core_record_content_change"
TRIGGER_PREFIX = "core_content"
# (event, transition table clause): a statement trigger per event, seeing the rows it wrote.
EVENTS = [
    ("INSERT", "REFERENCING NEW TABLE AS changed_rows"),
    ("UPDATE", "REFERENCING NEW TABLE AS changed_rows"),
    ("DELETE", "REFERENCING OLD TABLE AS changed_rows"),
]

CREATE_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' OR EXISTS (SELECT FROM changed_rows) THEN
        INSERT INTO core_contentchange (xid) VALUES (pg_current_xact_id()::text::bigint)
            ON CONFLICT (xid) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION {FUNCTION}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_contentchange (xid) VALUES (pg_current_xact_id()::text::bigint)
        ON CONFLICT (xid) DO NOTHING;
    RETURN NULL;
END
$$;
"""

# The largest recorded transaction id (``number``), and the oldest transaction older than it
# that still runs anywhere on the server (``older``, None: none). One cheap query, which
# every page of the cache asks; a caller may join its own lookup to it (``read_with``).
LATEST_SQL = "SELECT coalesce(max(xid), 0) AS number FROM core_contentchange"
OLDER_SQL = """(
    SELECT min(running::text::bigint)
    FROM pg_snapshot_xip(pg_current_snapshot()) AS running
    WHERE running::text::bigint < latest.number
)"""
# Transaction ids are shared by the whole server: of those, the ones known to run in another
# database of it are left out (xid8 values carry the 32-bit xid in their low bits). Asked
# only when the first query finds an older transaction running: reading pg_stat_activity
# costs more than the rest.
OLDER_HERE_SQL = """
SELECT min(running::text::bigint)
FROM pg_snapshot_xip(pg_current_snapshot()) AS running
WHERE running::text::bigint < %s
  AND running::text::bigint %% 4294967296 NOT IN (
    SELECT backend_xid::text::bigint FROM pg_stat_activity
    WHERE datname IS DISTINCT FROM current_database() AND backend_xid IS NOT NULL
  )
"""


@dataclass(frozen=True)
class Version:
    number: int
    # False while a transaction older than the latest change still runs: what is read now
    # may miss its writes although ``number`` is already past it. Serve, do not store.
    settled: bool


def content_app_labels() -> list[str]:
    """The labels of the apps whose tables hold public content."""
    return [app.label for app in apps.get_app_configs() if getattr(app, "public_content", False)]


def content_tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for label in content_app_labels()
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def read(using: str = "default") -> Version:
    """The content version as the connection ``using`` sees it now (one small query, three
    while an older transaction runs on the server)."""
    version, _row = read_with("SELECT")
    return version


def read_with(sql: str, params=(), using: str = "default") -> tuple[Version, tuple]:
    """The content version and, in the same round trip, the first row of ``sql`` (a tuple of
    None when it has none), a query that may name the version ``latest.number``."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT latest.number, {OLDER_SQL} AS older, found.* FROM ({LATEST_SQL}) AS latest "
            f"LEFT JOIN LATERAL ({sql} LIMIT 1) AS found ON true",
            params,
        )
        number, older, *row = cursor.fetchone()
        if older is not None:
            # pg_stat_activity is read once per transaction and kept: without a fresh copy, a
            # transaction another database began since would pass for an older one here.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(OLDER_HERE_SQL, [number])
            (older,) = cursor.fetchone()
    return Version(number, older is None), tuple(row)


def content_version(using: str = "default") -> int:
    """The number of :func:`read`: use it in cache keys of data derived from content."""
    return read(using).number


def triggers_sql(table: str) -> str:
    statements = [
        f'CREATE OR REPLACE TRIGGER {TRIGGER_PREFIX}_{event.lower()} AFTER {event} ON "{table}" '
        f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();"
        for event, transition in EVENTS
    ]
    statements.append(
        f'CREATE OR REPLACE TRIGGER {TRIGGER_PREFIX}_truncate AFTER TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}_truncate();"
    )
    return "\n".join(statements)


def track_content_tables(sender, app_config=None, using="default", **kwargs):
    """After ``migrate``: the triggers on every content table (idempotent)."""
    if app_config is None or app_config.label != "core":
        return
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(CREATE_FUNCTIONS)
        for table in content_tables():
            if table in existing:
                cursor.execute(triggers_sql(table))
