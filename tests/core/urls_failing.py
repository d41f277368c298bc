"""The portal's URLs plus views that fail, to see the error pages a visitor would get."""

from django.conf.urls.i18n import i18n_patterns
from django.db import OperationalError, transaction
from django.urls import path

from cnrs_intl.urls import (  # noqa: F401 (the error handlers of the portal)
    handler400,
    handler403,
    handler404,
    handler500,
    urlpatterns,
)


@transaction.non_atomic_requests  # fails in the view itself, before any query
def broken(request):
    raise RuntimeError("secret detail of the code: /srv/portal/views.py line 42")


def database_gone(request):
    raise OperationalError("connection to server on socket failed")


urlpatterns = [
    *urlpatterns,
    *i18n_patterns(
        path("broken/", broken),
        path("database-gone/", database_gone),
        prefix_default_language=True,
    ),
]
