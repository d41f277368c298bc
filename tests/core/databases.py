"""Addresses of databases on the test database's server, for the subprocesses of tests."""

from urllib.parse import quote

from django.db import connection


def database_url(name: str) -> str:
    """The URL of database ``name`` on the test database's server."""
    settings = connection.settings_dict
    options = settings.get("OPTIONS") or {}
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or options.get("host", "")
    port = settings["PORT"] or options.get("port", "")
    if host.startswith("/"):
        query = f"?host={quote(host, safe='')}" + (f"&port={port}" if port else "")
        return f"postgres://{user}{password}@/{name}{query}"
    return f"postgres://{user}{password}@{host}{':' + str(port) if port else ''}/{name}"


def own_database_url() -> str:
    """The URL of the test database itself, for a second client of it."""
    return database_url(connection.settings_dict["NAME"])
