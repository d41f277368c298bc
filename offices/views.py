from django.views.generic import DetailView, TemplateView

from core.text import name_key
from geography import maps

from .models import DerciMission, Office, Sector


class OfficeListView(TemplateView):
    """The open offices, then the former ones with their dates, then Derci and its sectors."""

    page_cache_parameters = ()
    template_name = "offices/office_list.html"

    def get_context_data(self, **kwargs):
        offices = sorted(
            Office.objects.with_list_relations(), key=lambda office: name_key(office.name)
        )
        return super().get_context_data(
            open_offices=[office for office in offices if office.is_open],
            closed_offices=[office for office in offices if not office.is_open],
            missions=DerciMission.objects.all(),
            sectors=Sector.objects.prefetch_related("countries"),
            **kwargs,
        )


class OfficeDetailView(DetailView):
    page_cache_parameters = ()
    template_name = "offices/office_detail.html"
    context_object_name = "office"

    def get_queryset(self):
        return Office.objects.with_detail_relations()

    def get_context_data(self, **kwargs):
        office = self.object
        covered = [str(country.pk) for country in office.covered_countries.all()]
        return super().get_context_data(
            location=maps.location_map(
                [(office.latitude, office.longitude)], [office.country_id], nearby=covered
            ),
            location_label=maps.location_label(
                [office.city, office.country.name], nearby=bool(covered)
            ),
            **kwargs,
        )
