"""The labs' lifecycle in the admin: the list filter and the dashboard's counts, from the
rules of ``LabCondition`` (the same as the labs list's status and the exports')."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.admin_filters import CheckedListFilter

from .models import LabCondition, add_years


def lifecycle_bounds(today: datetime.date | None = None):
    """(today, the same day next year): "ends within 12 months" is between the two."""
    today = today or datetime.date.today()
    return today, add_years(today, 1)


def ending_soon_q(today: datetime.date | None = None) -> Q:
    """Labs ending within 12 months (the rule of ``LabQuerySet.ending_between``)."""
    return LabCondition.ending_between(*lifecycle_bounds(today))


def ended_q(today: datetime.date | None = None) -> Q:
    """Labs ended by today (the rule of ``LabQuerySet.ended_on``, the labs list's status)."""
    first, _last = lifecycle_bounds(today)
    return LabCondition.ended(first)


class LifecycleFilter(CheckedListFilter):
    title = _("lifecycle")
    parameter_name = "lifecycle"

    ENDING = "ending"
    ENDED = "ended"

    def lookups(self, request, model_admin):
        return [(self.ENDING, _("Ends within 12 months")), (self.ENDED, _("Ended"))]

    def queryset(self, request, queryset):
        if not self.value_is_known(request):
            return queryset
        first, last = lifecycle_bounds()
        if self.value() == self.ENDING:
            return queryset.ending_between(first, last)
        if self.value() == self.ENDED:
            return queryset.ended_on(first)
        return queryset
