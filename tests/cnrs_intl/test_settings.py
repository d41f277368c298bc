import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


SECURITY_SETTINGS = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)"
)


def load_settings(code=SECURITY_SETTINGS, **env):
    """Import the settings in a fresh interpreter with ``env``, run ``code``; return the
    process result."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "cnrs_intl.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_its_secrets_and_secure_cookies():
    result = load_settings(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        DJANGO_ALLOWED_HOSTS="intl.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "31536000"]


def test_laptop_defaults_are_debug_without_a_secret_key():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


def test_production_refuses_to_start_without_a_database_url():
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **{k: v for k, v in environment.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "cnrs_intl.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-django-checks-0123",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


UPLOAD_STORAGE = (
    "import django; django.setup(); from django.core.files.storage import storages; "
    "print(type(storages['default']).__module__, storages['default'].url('fact-sheets/irl.pdf'))"
)


def test_uploads_go_to_the_local_disk_on_a_laptop():
    result = load_settings(UPLOAD_STORAGE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.files.storage.filesystem",
        "/media/fact-sheets/irl.pdf",
    ]


def test_uploads_go_to_the_object_store_when_a_bucket_is_named():
    result = load_settings(
        UPLOAD_STORAGE,
        AWS_STORAGE_BUCKET_NAME="portal-uploads",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_S3_CUSTOM_DOMAIN="files.intl.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "https://files.intl.example.org/media/fact-sheets/irl.pdf",
    ]
