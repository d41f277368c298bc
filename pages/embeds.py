"""Embeds: a small view of the labs of one country or one institute, with their map, meant
for an iframe on a university's or an embassy's site (``/embed/<lang>/...``), and the page
that gives the snippet to copy.

Only the embeds may be framed, by any site (``frame-ancestors *``, no X-Frame-Options);
they set no cookie, and are kept in the shared cache under the content version."""

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import TemplateView

from core import content, shared_cache
from geography import maps
from geography.regions import REGION_BY_COUNTRY, country_name
from laboratories.filters import LabFilterSet
from laboratories.links import lab_list_url
from laboratories.models import Institute

LABS_SHOWN = 30
EMBED_SECONDS = 600
KINDS = ("country", "institute")


def embed_labs(request, language: str, kind: str, code: str):
    if language not in ("fr", "en") or kind not in KINDS or not code.isalnum() or len(code) > 12:
        raise Http404
    with translation.override(language):
        version = content.read()
        key = f"embed:v1:{version.number}:{request.path}"
        body = shared_cache.get(key) if version.settled else None
        if body is None:
            body = _render(request, kind, code.lower())
            if version.settled:
                shared_cache.set(key, body, EMBED_SECONDS)
    response = HttpResponse(body)
    response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=EMBED_SECONDS)
    return response


def _render(request, kind: str, code: str) -> str:
    filterset = LabFilterSet({kind: code}, base_url=lab_list_url())
    if filterset.problems:
        raise Http404
    if kind == "country":
        title = country_name(code.upper())
    else:
        title = str(Institute.objects.get(code__iexact=code))
    counts = filterset.counts()
    labs = list(filterset.page_labs()[:LABS_SHOWN])
    for lab in labs:
        lab.full_url = request.build_absolute_uri(lab.get_absolute_url())
    full_list = request.build_absolute_uri(filterset.parameters.url(lab_list_url()))
    world_map = maps.world_map(
        counts.countries,
        url_for=lambda found: request.build_absolute_uri(lab_list_url(country=found.lower())),
        selected={code.upper()} if kind == "country" else set(),
        cities=counts.cities,
    )
    return render_to_string(
        "pages/embed.html",
        {
            "title": title,
            "labs": labs,
            "total": counts.total,
            "full_list": full_list,
            "world_map": world_map,
            "site": request.build_absolute_uri(reverse("home")),
        },
    )


embed_labs = csp_replace({"frame-ancestors": ["*"]})(xframe_options_exempt(embed_labs))


class EmbedHelpView(TemplateView):
    """The snippet to copy for a country or an institute (``country``, ``institute``)."""

    page_cache_parameters = ("country", "institute")
    template_name = "pages/embed_help.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = translation.get_language()
        institutes = list(Institute.objects.all())
        countries = sorted(
            ((code.lower(), country_name(code)) for code in REGION_BY_COUNTRY),
            key=lambda pair: pair[1],
        )
        asked = {name: self.request.GET.get(name, "").strip().lower() for name in KINDS}
        known = {
            "country": {code for code, _name in countries},
            "institute": {i.code.lower() for i in institutes},
        }
        snippets, problems = [], []
        for kind in KINDS:
            if not asked[kind]:
                continue
            if asked[kind] not in known[kind]:
                problems.append(asked[kind][:80])
                continue
            src = self.request.build_absolute_uri(
                reverse(
                    "embed-labs", kwargs={"language": language, "kind": kind, "code": asked[kind]}
                )
            )
            snippets.append(
                (
                    src,
                    f'<iframe src="{src}" title="{_("CNRS labs")}" width="100%" height="600" '
                    'loading="lazy" style="border:0"></iframe>',
                )
            )
        context.update(
            institutes=institutes,
            countries=countries,
            asked=asked,
            snippets=snippets,
            problems=problems,
        )
        return context
