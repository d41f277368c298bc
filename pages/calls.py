"""The calls calendar: the calls open now and those to come, and their iCalendar files."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from instruments.calendar import calendar_of
from instruments.models import Call

from .cache import public_page


class CallListView(TemplateView):
    page_cache_parameters = ()
    template_name = "pages/call_list.html"

    def get_context_data(self, **kwargs):
        today = datetime.date.today()
        open_calls, coming = [], []
        for call in Call.objects.published().with_relations():
            call.current_window = call.window(today)
            if call.current_window is None:
                continue
            (open_calls if call.current_window[0] <= today else coming).append(call)
        coming.sort(key=lambda call: call.current_window[0])
        return super().get_context_data(open_calls=open_calls, coming_calls=coming, **kwargs)


def _ics_response(request, calls, name: str, filename: str) -> HttpResponse:
    page = request.build_absolute_uri(Call.calendar_url())
    body = calendar_of(
        calls,
        name=name,
        url_for=lambda call: f"{page}#{call.slug}",
        host=request.get_host().split(":")[0],
        today=datetime.date.today(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page()
def calendar_ics(request):
    """Every published call, for a calendar to subscribe to."""
    calls = Call.objects.published().with_relations()
    return _ics_response(request, calls, _("CNRS International – calls"), "cnrs-calls.ics")


@public_page()
def call_ics(request, slug):
    call = get_object_or_404(Call.objects.published().with_relations(), slug=slug)
    return _ics_response(request, [call], call.title, f"{call.slug}.ics")
