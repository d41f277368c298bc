"""“Report an error” on every public entry page: a short form whose reports go to the
back-office's review queue (``backoffice.services.error_report_create``).

Protected without any outside service: CSRF, a honeypot field that people never see, and a
limit per address on the shared cache (so it holds across app servers). A refused form is
shown again with what the visitor typed.
"""

from django import forms
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from backoffice.services import error_report_create
from core import shared_cache
from core.proxy import client_address
from instruments.models import Instrument
from laboratories.models import Lab, Partner, ResearchCenter
from offices.models import Office

from .cache import public_page

# The entries with a public page, by the name their report address uses: what each page
# shows (the same querysets as their pages').
REPORTABLE = {
    "lab": lambda: Lab.objects.published(),
    "centre": lambda: ResearchCenter.objects.published(),
    "partner": lambda: Partner.objects.all(),
    "office": lambda: Office.objects.all(),
    "instrument": lambda: Instrument.objects.all(),
}

REPORTS_PER_ADDRESS = 5
REPORT_WINDOW_SECONDS = 3600
HONEYPOT = "website"


class ErrorReportForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong?"),
        max_length=3000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what the page says and what it should say, with a source if you can."),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("To be told when the report is handled; used for nothing else."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def _over_the_limit(request) -> bool:
    """Count one report for the visitor's address; True past the limit of the window."""
    key = f"report-error:{client_address(request) or 'unknown'}"
    return shared_cache.count(key, REPORT_WINDOW_SECONDS) > REPORTS_PER_ADDRESS


@public_page()  # reads no query parameter; never kept all the same (never_cache, a form)
@never_cache
def report_error(request, kind, pk):
    queryset = REPORTABLE.get(kind)
    if queryset is None:
        raise Http404
    entry = queryset().filter(pk=pk).first()
    if entry is None:
        raise Http404
    status = 200
    refusal = ""
    if request.method == "POST":
        form = ErrorReportForm(request.POST)
        if form.is_valid():
            if form.cleaned_data[HONEYPOT]:
                return redirect(f"{request.path}?sent=1")  # a robot: nothing kept
            if _over_the_limit(request):
                status = 429
                refusal = _(
                    "You sent many reports in a short time: please try again in an hour. "
                    "Your text is kept below."
                )
            else:
                error_report_create(
                    entry=entry,
                    text=form.cleaned_data["text"],
                    email=form.cleaned_data["email"],
                    language=get_language(),
                    page_url=entry.get_absolute_url(),
                )
                return redirect(f"{request.path}?sent=1")
        else:
            status = 400
    else:
        form = ErrorReportForm()
    context = {
        "entry": entry,
        "form": form,
        "refusal": refusal,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
    }
    return TemplateResponse(request, "pages/report_error.html", context, status=status)
