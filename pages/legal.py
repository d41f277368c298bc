"""The pages a French public site must carry, linked from every footer: the legal notice
(mentions légales), personal data, contact, and a site map for people."""

from django.conf import settings
from django.views.generic import TemplateView

from instruments.models import Instrument
from laboratories.models import ResearchCenter
from offices.models import Office


class SitePageView(TemplateView):
    """A page whose facts come from settings (empty: the page says they are not stated)."""

    page_cache_parameters = ()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            publisher=settings.PORTAL_PUBLISHER,
            publication_director=settings.PORTAL_PUBLICATION_DIRECTOR,
            host=settings.PORTAL_HOST,
            contact_email=settings.PORTAL_CONTACT_EMAIL,
            postal_address=settings.PORTAL_POSTAL_ADDRESS,
            data_protection_email=settings.PORTAL_DATA_PROTECTION_EMAIL,
            accessibility_email=settings.ACCESSIBILITY_CONTACT_EMAIL,
            **kwargs,
        )


class SiteMapView(TemplateView):
    """Every section of the portal, and the instruments, centres and offices by name."""

    page_cache_parameters = ()
    template_name = "pages/legal/site_map.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            instruments=Instrument.objects.ordered(),
            centers=ResearchCenter.objects.published().order_by("name"),
            offices=Office.objects.open().order_by("name"),
            **kwargs,
        )
