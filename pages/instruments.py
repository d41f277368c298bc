"""The instrument pages: how each cooperation instrument works, with the entries under it."""

import datetime
import re

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from instruments.models import EuropeanProgramme, Instrument
from laboratories.filters import unfiltered_counts
from laboratories.links import lab_list_url
from laboratories.models import Lab, ResearchCenter

# The International Research Centers are the entries of this instrument, not labs.
CENTER_INSTRUMENT = "IRC"
LABS_SHOWN = 50
INSTRUMENT_CODE = re.compile(r"[A-Za-z0-9-]{1,12}")


class InstrumentListView(ListView):
    page_cache_parameters = ()
    template_name = "instruments/instrument_list.html"
    context_object_name = "instruments"

    def get_queryset(self):
        return Instrument.objects.ordered()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = unfiltered_counts(get_language(), datetime.date.today()).facets["instrument"]
        centers = ResearchCenter.objects.published().count()
        for instrument in context["instruments"]:
            instrument.entry_count = (
                centers
                if instrument.code == CENTER_INSTRUMENT
                else counts.get(str(instrument.pk), 0)
            )
        context["programmes"] = EuropeanProgramme.objects.all()
        return context


class InstrumentDetailView(DetailView):
    """One instrument, its rules and its call, and the entries created under it."""

    page_cache_parameters = ()
    template_name = "instruments/instrument_detail.html"
    context_object_name = "instrument"

    def get(self, request, *args, **kwargs):
        code = kwargs["code"]
        if not INSTRUMENT_CODE.fullmatch(code):
            raise Http404
        if code != code.lower():
            return redirect("instruments:detail", code=code.lower(), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(Instrument, code=self.kwargs["code"].upper())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument = self.object
        context["next_call"] = instrument.next_call()
        if instrument.code == CENTER_INSTRUMENT:
            centers = list(ResearchCenter.objects.published().with_list_relations())
            context.update(centers=centers, entry_count=len(centers))
            return context
        labs = Lab.objects.published().filter(instrument=instrument)
        name = Lab.name_order(self.request.LANGUAGE_CODE)
        context.update(
            labs=labs.order_by(name, "pk").prefetch_related("countries")[:LABS_SHOWN],
            entry_count=labs.count(),
            labs_url=lab_list_url(instrument=instrument.code),
        )
        return context
