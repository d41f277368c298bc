from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db import connections, transaction
from django.test.utils import override_settings
from django.utils import translation
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from accounts.roles import REFERENT_GROUP, STAFF_GROUP
from demo.loader import load_demo
from tests.factories import InstituteFactory, UserFactory

# Passwords are hashed and checked in many tests (factories, sign-ins, the live server); no
# rule tested depends on the hasher, and the production one costs a fraction of a second each.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


def _db_options(marker) -> dict:
    transaction, reset_sequences, _databases, serialized_rollback, _apps = validate_django_db(
        marker
    )
    return {
        "transaction": transaction or reset_sequences,
        "serialized_rollback": serialized_rollback,
    }


def _flushes_the_database(item) -> bool:
    """Whether the test runs outside a transaction (and empties the tables after it)."""
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and _db_options(marker)["transaction"]
    fixtures = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


def _restores_the_migrations_data(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return (
        marker is not None
        and _flushes_the_database(item)
        and _db_options(marker)["serialized_rollback"]
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, put back what the migrations wrote (groups, countries...).

    Django empties the tables after such a test and restores that data only before the next
    test asking for ``serialized_rollback``. Run alone, pytest-django orders the transactional
    tests last; spread over workers by file (``--dist loadfile``), other tests follow them.
    """
    result = yield
    if (
        nextitem is not None
        and _flushes_the_database(item)
        and not _restores_the_migrations_data(nextitem)
    ):
        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all(initialized_only=True):
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result


@contextmanager
def kept_for_the_module(django_db_blocker):
    """A transaction around a module's tests, rolled back after the last one: what is written
    in it is seen by every test of the module, each in a savepoint of its own.

    Only for modules without transactional tests (their flush would wait on this one)."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module that asks for it (see kept_for_the_module);
    the loader's report."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock(), translation.override("fr"):
            report = load_demo()
        yield report


@pytest.fixture(autouse=True)
def _french_by_default():
    """Every test starts in French, the portal's default language."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages are rendered afresh; tests/pages/test_cache.py turns the public page cache on."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def staff_user(db):
    user = UserFactory(username="derci-staff")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def referent_user(db):
    user = UserFactory(username="referent-insis")
    user.groups.add(Group.objects.get(name=REFERENT_GROUP))
    InstituteFactory(code="INSIS").referents.add(user)
    return user
