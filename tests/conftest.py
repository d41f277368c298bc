import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from accounts.roles import REFERENT_GROUP, STAFF_GROUP
from tests.factories import InstituteFactory, UserFactory


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
    """Pages are rendered afresh; tests/test_cache.py turns the public page cache on."""
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
