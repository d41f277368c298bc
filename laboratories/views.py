from django.http import Http404
from django.views.generic import DetailView, ListView

from .models import Country, Lab, ResearchCenter


class LabListView(ListView):
    paginate_by = 50
    template_name = "laboratories/lab_list.html"

    def get_queryset(self):
        labs = Lab.objects.published().with_list_relations()
        codes = [code.strip().upper() for code in self.request.GET.getlist("country") if code]
        if codes:
            labs = labs.in_countries(codes)
        return labs.order_by("name", "pk")


class LabDetailView(DetailView):
    template_name = "laboratories/lab_detail.html"

    def get_queryset(self):
        return Lab.objects.published().with_detail_relations()


class CountryListView(ListView):
    template_name = "laboratories/country_list.html"

    def get_queryset(self):
        return Country.objects.filter(labs__is_published=True).distinct()


class CountryDetailView(DetailView):
    template_name = "laboratories/country_detail.html"

    def get_object(self, queryset=None):
        try:
            return Country.objects.get(pk=self.kwargs["code"].upper())
        except Country.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["labs"] = (
            Lab.objects.published().with_list_relations().in_countries([self.object.code])
        )
        return context


class ResearchCenterListView(ListView):
    template_name = "laboratories/researchcenter_list.html"

    def get_queryset(self):
        return ResearchCenter.objects.published().with_list_relations()


class ResearchCenterDetailView(DetailView):
    template_name = "laboratories/researchcenter_detail.html"

    def get_queryset(self):
        return ResearchCenter.objects.published().with_detail_relations()
