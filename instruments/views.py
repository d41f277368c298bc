from django.http import Http404
from django.views.generic import DetailView, ListView

from .models import Instrument


class InstrumentListView(ListView):
    template_name = "instruments/instrument_list.html"

    def get_queryset(self):
        return Instrument.objects.ordered()


class InstrumentDetailView(DetailView):
    template_name = "instruments/instrument_detail.html"

    def get_object(self, queryset=None):
        try:
            return Instrument.objects.get(code=self.kwargs["code"].upper())
        except Instrument.DoesNotExist as exc:
            raise Http404 from exc
