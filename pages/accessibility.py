"""The accessibility statement (RGAA): status, what is checked, contact and recourse."""

import datetime

from django.conf import settings
from django.views.generic import TemplateView

STATEMENT_DATE = datetime.date(2026, 11, 21)


class AccessibilityStatementView(TemplateView):
    page_cache_parameters = ()
    template_name = "accessibility.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statement_date"] = STATEMENT_DATE
        context["contact_email"] = settings.ACCESSIBILITY_CONTACT_EMAIL
        return context
