from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import feeds, views

app_name = "laboratories"

urlpatterns = [
    path(_("labs/"), views.LabListView.as_view(), name="list"),
    # Before the labs' pages, whose slugs they would otherwise be taken for.
    path(_("labs/feed/"), feeds.LabFeed(), name="feed"),
    path(
        _("labs/feed/country/<str:code>/"),
        feeds.LabFeed(),
        {"kind": "country"},
        name="feed-country",
    ),
    path(
        _("labs/feed/institute/<str:code>/"),
        feeds.LabFeed(),
        {"kind": "institute"},
        name="feed-institute",
    ),
    path(
        _("labs/feed/instrument/<str:code>/"),
        feeds.LabFeed(),
        {"kind": "instrument"},
        name="feed-instrument",
    ),
    path(_("labs/<slug:slug>/"), views.LabDetailView.as_view(), name="detail"),
    path(_("centres/"), views.ResearchCenterListView.as_view(), name="centers"),
    path(_("centres/<slug:slug>/"), views.ResearchCenterDetailView.as_view(), name="center"),
    path(_("partners/<slug:slug>/"), views.PartnerDetailView.as_view(), name="partner"),
]
