from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import feeds, views

app_name = "laboratories"

urlpatterns = [
    path(_("labs/"), views.LabListView.as_view(), name="list"),
    # Feeds end in ".atom", which no slug can: a lab may be called "feed" (or "flux").
    path(_("labs/feed.atom"), feeds.LabFeed(), name="feed"),
    path(
        _("labs/feed/country/<str:code>.atom"),
        feeds.LabFeed(),
        {"kind": "country"},
        name="feed-country",
    ),
    path(
        _("labs/feed/institute/<str:code>.atom"),
        feeds.LabFeed(),
        {"kind": "institute"},
        name="feed-institute",
    ),
    path(
        _("labs/feed/instrument/<str:code>.atom"),
        feeds.LabFeed(),
        {"kind": "instrument"},
        name="feed-instrument",
    ),
    path(_("labs/<slug:slug>/"), views.LabDetailView.as_view(), name="detail"),
    path(_("centres/"), views.ResearchCenterListView.as_view(), name="centers"),
    path(_("centres/<slug:slug>/"), views.ResearchCenterDetailView.as_view(), name="center"),
    path(_("partners/<slug:slug>/"), views.PartnerDetailView.as_view(), name="partner"),
]
