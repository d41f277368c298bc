"""The public pages that span the content apps: home, search, countries, instruments, the
accessibility statement. Each content app's own pages come from its ``urls``."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import accessibility, calls, countries, embeds, instruments, legal, reports, views

instrument_patterns = (
    [
        path("", instruments.InstrumentListView.as_view(), name="list"),
        path("<str:code>/", instruments.InstrumentDetailView.as_view(), name="detail"),
    ],
    "instruments",
)

urlpatterns = [
    path("", views.home, name="home"),
    path(_("countries/"), countries.CountryListView.as_view(), name="countries"),
    path(_("countries/<str:code>/"), countries.CountryDetailView.as_view(), name="country"),
    path(_("instruments/"), include(instrument_patterns)),
    path(_("search/"), views.search, name="search"),
    path(_("share/"), embeds.EmbedHelpView.as_view(), name="embed-help"),
    path(_("calls/"), calls.CallListView.as_view(), name="calls"),
    path(_("calls/calendar.ics"), calls.calendar_ics, name="calls-ics"),
    path(_("calls/<slug:slug>.ics"), calls.call_ics, name="call-ics"),
    path(_("report-an-error/<str:kind>/<int:pk>/"), reports.report_error, name="report-error"),
    path(
        _("accessibility/"),
        accessibility.AccessibilityStatementView.as_view(),
        name="accessibility",
    ),
    path(
        _("legal-notice/"),
        legal.SitePageView.as_view(template_name="pages/legal/legal_notice.html"),
        name="legal-notice",
    ),
    path(
        _("personal-data/"),
        legal.SitePageView.as_view(template_name="pages/legal/personal_data.html"),
        name="personal-data",
    ),
    path(
        _("contact/"),
        legal.SitePageView.as_view(template_name="pages/legal/contact.html"),
        name="contact",
    ),
    path(_("site-map/"), legal.SiteMapView.as_view(), name="site-map"),
]
