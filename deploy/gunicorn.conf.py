"""gunicorn for the portal, one per app server: ``gunicorn -c deploy/gunicorn.conf.py
cnrs_intl.wsgi``. Every value can be changed through the environment (deploy/README.md).

Logs: no access log (the portal logs one JSON line per request itself, with its request id
and user); gunicorn's own messages go to stderr as JSON lines too.
"""

import multiprocessing
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

bind = os.environ.get("PORTAL_BIND", "0.0.0.0:8000")
# Sync workers: each holds one request; the portal's pages are short database reads.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("PORTAL_WORKER_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to the app servers open (upstream keepalive)
# A worker is replaced after this many requests (and a random few more), so that a slow
# leak never grows without end.
max_requests = 2000
max_requests_jitter = 200
# The proxy on the same network sets X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "*")
control_socket_disable = True
worker_tmp_dir = os.environ.get("PORTAL_WORKER_TMP_DIR") or None
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "WARNING", "handlers": ["error_console"]},
    "loggers": {"gunicorn.error": {"handlers": ["error_console"], "propagate": False}},
}


def on_starting(server):
    """Refuse to start without the collected static files: every page would answer 500."""
    static_root = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
    if not (static_root / "staticfiles.json").is_file():
        raise SystemExit(
            f"No collected static files in {static_root}: run "
            "`python manage.py collectstatic --no-input` first (deploy/README.md)."
        )
