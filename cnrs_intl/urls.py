from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("laboratories.urls")),
    path(_("instruments/"), include("instruments.urls")),
    path(_("offices/"), include("offices.urls")),
    prefix_default_language=True,
)

if settings.PORTAL_BENCH_STOCK_ADMIN:
    from bench.stock_admin import site as stock_admin_site

    urlpatterns.append(path("bench-stock-admin/", stock_admin_site.urls))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
