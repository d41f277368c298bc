from django.shortcuts import render

from laboratories.models import KeyFigure, Lab


def home(request):
    figures = KeyFigure.objects.latest_per_metric()
    labs = Lab.objects.published().with_list_relations().order_by("-start_date")[:6]
    return render(request, "home.html", {"figures": figures, "labs": labs})
