from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "laboratories"

urlpatterns = [
    path(_("labs/"), views.LabListView.as_view(), name="list"),
    path(_("labs/<slug:slug>/"), views.LabDetailView.as_view(), name="detail"),
    path(_("centres/"), views.ResearchCenterListView.as_view(), name="centers"),
    path(_("centres/<slug:slug>/"), views.ResearchCenterDetailView.as_view(), name="center"),
    path(_("partners/<slug:slug>/"), views.PartnerDetailView.as_view(), name="partner"),
]
