from django.views.generic import DetailView, ListView

from .models import Office


class OfficeListView(ListView):
    template_name = "offices/office_list.html"

    def get_queryset(self):
        return Office.objects.with_list_relations()


class OfficeDetailView(DetailView):
    template_name = "offices/office_detail.html"

    def get_queryset(self):
        return Office.objects.with_list_relations()
