"""The counts on the admin home: what waits for review, what is incomplete, what ends soon."""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.text import capfirst
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


@dataclass
class TileGroup:
    title: str
    tiles: list


def _changelist(model, query=""):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


def _completeness(model, queryset, lifecycle=False):
    """One aggregate query: how many entries of ``model`` miss a text (and end soon)."""
    counts = {
        "missing_en": Count("pk", filter=missing_text_q(model, "en")),
        "missing_fr": Count("pk", filter=missing_text_q(model, "fr")),
    }
    if lifecycle:
        counts["ending"] = Count("pk", filter=ending_soon_q())
        counts["ended"] = Count("pk", filter=ended_q())
    found = queryset.order_by().aggregate(**counts)
    tiles = [
        Tile(_("Missing English text"), found["missing_en"], _changelist(model, "missing=en")),
        Tile(_("Missing French text"), found["missing_fr"], _changelist(model, "missing=fr")),
    ]
    if lifecycle:
        tiles += [
            Tile(
                _("Ends within 12 months"), found["ending"], _changelist(model, "lifecycle=ending")
            ),
            Tile(_("Ended"), found["ended"], _changelist(model, "lifecycle=ended")),
        ]
    return TileGroup(capfirst(model._meta.verbose_name_plural), tiles)


def staff_dashboard():
    pending = Revision.objects.pending().count()
    review = TileGroup(
        _("Review"),
        [Tile(_("Changes waiting for review"), pending, _changelist(Revision, "status=pending"))],
    )
    return {
        "staff": True,
        "tile_groups": [
            review,
            _completeness(Lab, Lab.objects.all(), lifecycle=True),
            _completeness(ResearchCenter, ResearchCenter.objects.all()),
            _completeness(Office, Office.objects.all()),
            _completeness(Instrument, Instrument.objects.all()),
        ],
        "revisions": [],
    }


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
