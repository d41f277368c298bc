"""Settings of the CNRS International portal, read from the environment.

Defaults suit a laptop. With ``DJANGO_DEBUG=false`` the portal refuses to start without
``DJANGO_SECRET_KEY``. Every variable is listed in ``.env.example``.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false (production mode)."
        )
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "modeltranslation",  # before django.contrib.admin, so its admin integration loads
    "backoffice.apps.PortalAdminConfig",  # django.contrib.admin, with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "simple_history",
    "import_export",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    # The portal's apps, each importing only those listed before it.
    "core",
    "accounts",
    "search",
    "geography",
    "provenance",
    "backoffice",
    "instruments",
    "offices",
    "laboratories",
    "pages",
    "api",
    "demo",
    # Last: deletes a replaced or deleted upload once the transaction commits.
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    # First: its one line per request covers the time of all the others.
    "core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the middleware that answer by themselves (LocaleMiddleware's redirects), so
    # that every response carries the policy and the framing refusal.
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the policy middleware, so that pages served from the cache get their headers.
    "pages.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "cnrs_intl.urls"
WSGI_APPLICATION = "cnrs_intl.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: PostgreSQL only. Without DATABASE_URL, the embedded server of the checkout.
# In production (DJANGO_DEBUG=false) DATABASE_URL is required: the embedded server is a
# development tool, installed with the development dependencies only.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DATABASE_URL must be set when DJANGO_DEBUG is false (production mode)."
        )
    from cnrs_intl import embedded_db

    DATABASE_URL = embedded_db.ensure_running()
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "The portal runs on PostgreSQL only: DATABASE_URL must be postgres://"
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# An unreachable server must fail fast (the page answers 503), not hang the worker.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where a sign-in lands when its ``next`` is missing or refused (another site, say).
LOGIN_REDIRECT_URL = "admin:index"
# Where the accessibility statement tells visitors to write (empty: postal address only).
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("DJANGO_ACCESSIBILITY_CONTACT_EMAIL", "")
# The legal notice (mentions légales), the personal-data page and the contact page: who
# publishes the portal, who answers for what it says, who hosts it, where to write.
PORTAL_PUBLISHER = os.environ.get("PORTAL_PUBLISHER") or (
    "Centre national de la recherche scientifique (CNRS), 3 rue Michel-Ange, 75794 Paris cedex 16"
)
PORTAL_PUBLICATION_DIRECTOR = os.environ.get("PORTAL_PUBLICATION_DIRECTOR", "")
PORTAL_HOST = os.environ.get("PORTAL_HOST", "")
PORTAL_CONTACT_EMAIL = os.environ.get("PORTAL_CONTACT_EMAIL", "")
PORTAL_POSTAL_ADDRESS = os.environ.get("PORTAL_POSTAL_ADDRESS") or (
    "CNRS – Derci, 3 rue Michel-Ange, 75794 Paris cedex 16, France"
)
PORTAL_DATA_PROTECTION_EMAIL = os.environ.get("PORTAL_DATA_PROTECTION_EMAIL") or (
    "dpd.demandes@cnrs.fr"
)

# E-mail: the console in development (messages printed by the server), SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", 30))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "CNRS International <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address links in e-mails point to (the worker has no request to read it from).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (e-mails, reminders, digests) on a queue kept in PostgreSQL: a row per
# task, run by `manage.py db_worker` (deploy/README.md); no other service to run.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Cache shared by every worker process, so that one invalidation reaches them all: Redis
# when REDIS_URL is set, else a table of the portal's PostgreSQL (created after `migrate`),
# which every worker and every host already reaches, with no further service to run.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("PORTAL_CACHE_PREFIX", "cnrs-intl"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Public pages for anonymous visitors (pages/cache.py, kept in a PostgreSQL table whatever
# the cache above): seconds an entry may live at most (0 turns the page cache off), the
# largest page kept, and how many pages are kept at most.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", 600))
# The release running (a tag or a commit; empty: a digest of the code, core/release.py): pages
# kept by one release are never served by the next.
PORTAL_RELEASE = os.environ.get("PORTAL_RELEASE", "")
PORTAL_PAGE_CACHE_MAX_BYTES = 512 * 1024
PORTAL_PAGE_CACHE_MAX_ENTRIES = int(os.environ.get("PORTAL_PAGE_CACHE_MAX_ENTRIES", 20000))
# Seconds a shared proxy may keep a public page (Cache-Control s-maxage); 0 to forbid.
PORTAL_PROXY_CACHE_SECONDS = int(os.environ.get("PORTAL_PROXY_CACHE_SECONDS", 60))
# `make bench` only: Django's untuned admin of labs under /bench-stock-admin/, to compare.
PORTAL_BENCH_STOCK_ADMIN = env_bool("PORTAL_BENCH_STOCK_ADMIN", False)

# Languages: French first, the default; English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
# Country names in their common form in each language, where django-countries gives an
# official or ISO-style one ("Palestine, État de", "Naoero", "Bahamas (The)").
COUNTRIES_OVERRIDE = {
    "BS": _("Bahamas"),
    "CZ": _("Czechia"),
    "FM": _("Micronesia"),
    "MK": _("North Macedonia"),
    "NR": _("Nauru"),
    "PS": _("Palestine"),
    "RE": _("Réunion"),
    "SZ": _("Eswatini"),
    "US": _("United States"),
    "VA": _("Vatican"),
}
# Number formats of our own where Django's differ from the portal's typography.
FORMAT_MODULE_PATH = ["cnrs_intl.formats"]
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en"), "fr": ("en",), "en": ("fr",)}
# modeltranslation's admin tabs load jQuery UI from a CDN unless told otherwise.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
# Uploads: an S3-compatible object store when AWS_STORAGE_BUCKET_NAME is set (production with
# several app servers: every server sees every file), else MEDIA_ROOT on the local disk.
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine's role, read by
# boto3 itself. Without AWS_S3_CUSTOM_DOMAIN (a public domain for the bucket), links to files
# are signed and last PORTAL_S3_LINK_SECONDS, which outlives any cached page.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_FILE_STORAGE_OPTIONS = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        "querystring_auth": not os.environ.get("AWS_S3_CUSTOM_DOMAIN"),
        "querystring_expire": int(os.environ.get("PORTAL_S3_LINK_SECONDS", 6 * 3600)),
        "file_overwrite": False,
        "default_acl": None,
        "location": os.environ.get("AWS_LOCATION", "media"),
    }
    DEFAULT_FILE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": DEFAULT_FILE_STORAGE_OPTIONS,
    }
else:
    DEFAULT_FILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_FILE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Production values follow from DJANGO_DEBUG=false.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Content-Security-Policy (django-csp, through core.middleware). Public pages load
# everything from the portal itself; an inline script or style needs the response's nonce
# (``{{ request.csp_nonce }}``); inline style attributes are refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The admin (Django's, modeltranslation's tabs, import-export's pages) uses inline scripts
# and styles; still nothing from another host.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
    }
}

# Browser features no page of the portal uses are refused to every page and to what it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# The read API (api/, Django REST framework): read-only, anonymous, JSON only, throttled per
# address in the shared cache (CACHES["default"]), its OpenAPI schema by drf-spectacular and
# its documentation pages served by the portal itself (drf-spectacular-sidecar).
PORTAL_API_ANONYMOUS_RATE = os.environ.get("PORTAL_API_ANONYMOUS_RATE", "120/minute")
# The licence of the data the API, the feeds and the exports give (in every API response).
PORTAL_DATA_LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    # The client's address is REMOTE_ADDR, never a client-supplied X-Forwarded-For.
    "NUM_PROXIES": 0,
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CNRS International – open data API",
    "DESCRIPTION": (
        "Read-only data of the CNRS International portal: international structures (labs), "
        "International Research Centers, offices, instruments and their calls, countries, "
        "partner institutions and key figures. Texts in French and English (`lang=fr|en` or "
        "Accept-Language). Anonymous use is rate-limited (RateLimit-* headers; 429 with "
        "Retry-After beyond the limit)."
    ),
    "VERSION": "1",
    "LICENSE": PORTAL_DATA_LICENCE,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LabStatusEnum": "laboratories.models.LabStatus",
        # Country codes, one enumeration whichever field lists them (offices, calls).
        "CountryCodeEnum": "django_countries.countries",
    },
}

# Sign-in attempts (django-axes): after AXES_FAILURE_LIMIT failures for one user name from
# one address, that pair is refused for AXES_COOLOFF_TIME, whether the user exists or not.
# Keyed on the pair, a stranger failing from their own address locks only themselves out:
# the staff member, signing in from another address, is not refused.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.errors.login_locked_out"
AXES_VERBOSE = False
# The address: behind a reverse proxy every request comes from the proxy, which would make
# the pair one per user name again (anyone could lock anyone out). PORTAL_TRUSTED_PROXIES
# says how many proxies in front append to X-Forwarded-For (nginx alone: 1), and the visitor's
# address is read there (core/proxy.py); what the client wrote in that header is never used.
PORTAL_TRUSTED_PROXIES = int(os.environ.get("PORTAL_TRUSTED_PROXIES", 0))
AXES_CLIENT_IP_CALLABLE = "core.proxy.client_address"

# Logs on stdout: JSON lines in production (DJANGO_LOG_FORMAT=json, the default with DEBUG
# off), plain text on a laptop. Every record carries the request id (core/request_log.py);
# one line per request (request id, user id, method, path, status, duration) on
# portal.request when PORTAL_REQUEST_LOG is on (the default with DEBUG off).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
REQUEST_LOG = env_bool("PORTAL_REQUEST_LOG", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "portal.request": {"level": "INFO" if REQUEST_LOG else "WARNING"},
        # Its 4xx lines would repeat portal.request's; a 500's traceback stays (ERROR).
        "django.request": {"level": "ERROR" if REQUEST_LOG else LOG_LEVEL},
    },
}

# Error reports (optional): to a Sentry-protocol service when SENTRY_DSN is set (Sentry, or
# GlitchTip, which the CNRS can host itself). Nothing is sent otherwise; no personal data
# (addresses, cookies, user names) is sent in any case.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=0,
    )
