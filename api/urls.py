from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from . import docs, views

app_name = "api"

router = SimpleRouter()
router.register("labs", views.LabViewSet, basename="lab")
router.register("centres", views.CentreViewSet, basename="centre")
router.register("offices", views.OfficeViewSet, basename="office")
router.register("instruments", views.InstrumentViewSet, basename="instrument")
router.register("calls", views.CallViewSet, basename="call")
router.register("countries", views.CountryViewSet, basename="country")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("key-figures", views.KeyFigureViewSet, basename="key-figure")

urlpatterns = [
    path("", docs.index, name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.documentation(SpectacularSwaggerSplitView), name="docs"),
    path("", include(router.urls)),
]
