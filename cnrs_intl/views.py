from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from laboratories.models import KeyFigure, Lab


def home(request):
    figures = KeyFigure.objects.latest_per_metric()
    labs = Lab.objects.published().with_list_relations().order_by("-start_date")[:6]
    return render(request, "home.html", {"figures": figures, "labs": labs})


@never_cache
def healthz(request):
    """The process answers; the database is not consulted."""
    return HttpResponse("ok", content_type="text/plain")
