"""The counts on the admin home: what waits for review, what is incomplete, what ends soon."""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from instruments.models import Instrument
from laboratories.models import Lab, ResearchCenter
from offices.models import Office

from .admin_filters import ended_q, ending_soon_q, missing_text_q
from .models import Revision
from .roles import has_full_access, referent_institute_ids


@dataclass
class Tile:
    label: str
    count: int
    url: str


def _changelist(model, query=""):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


def _completeness(model, queryset, lifecycle=False):
    """One aggregate query: the counts of missing texts (and of ending labs) of ``model``."""
    counts = {
        "missing_en": Count("pk", filter=missing_text_q(model, "en")),
        "missing_fr": Count("pk", filter=missing_text_q(model, "fr")),
    }
    if lifecycle:
        counts["ending"] = Count("pk", filter=ending_soon_q())
        counts["ended"] = Count("pk", filter=ended_q())
    found = queryset.order_by().aggregate(**counts)
    plural = model._meta.verbose_name_plural
    tiles = [
        Tile(
            _("%(entries)s missing English text") % {"entries": plural},
            found["missing_en"],
            _changelist(model, "missing=en"),
        ),
        Tile(
            _("%(entries)s missing French text") % {"entries": plural},
            found["missing_fr"],
            _changelist(model, "missing=fr"),
        ),
    ]
    if lifecycle:
        tiles += [
            Tile(
                _("%(entries)s ending within 12 months") % {"entries": plural},
                found["ending"],
                _changelist(model, "lifecycle=ending"),
            ),
            Tile(
                _("%(entries)s ended") % {"entries": plural},
                found["ended"],
                _changelist(model, "lifecycle=ended"),
            ),
        ]
    return tiles


def staff_dashboard():
    pending = Revision.objects.pending().count()
    queue = _changelist(Revision, "status=pending")
    review = [Tile(_("Changes waiting for review"), pending, queue)]
    labs = _completeness(Lab, Lab.objects.all(), lifecycle=True)
    others = (
        _completeness(ResearchCenter, ResearchCenter.objects.all())
        + _completeness(Office, Office.objects.all())
        + _completeness(Instrument, Instrument.objects.all())
    )
    return {"staff": True, "tile_groups": [review, labs, others], "revisions": []}


def referent_dashboard(user):
    institute_ids = referent_institute_ids(user)
    labs = Lab.objects.for_institutes(institute_ids)
    centers = ResearchCenter.objects.filter(
        pk__in=ResearchCenter.objects.for_institutes(institute_ids).values("pk")
    )
    revisions = list(
        Revision.objects.by_author(user).with_list_relations().order_by("-submitted_at")[:10]
    )
    return {
        "staff": False,
        "tile_groups": [
            _completeness(Lab, labs, lifecycle=True),
            _completeness(ResearchCenter, centers),
        ],
        "revisions": revisions,
    }


def dashboard_for(user):
    """The staff dashboard, a referent's one, or None for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return None
    if has_full_access(user):
        return staff_dashboard()
    if referent_institute_ids(user):
        return referent_dashboard(user)
    return None
