"""The counts on the admin home: what waits for review, what is incomplete, what ends soon.

Each content admin that declares a ``dashboard_position`` (see :class:`DashboardTiles`) gets
a group of tiles: its entries missing a text in each language, plus the counts its
``dashboard_counts`` adds. A user sees the groups of the admins they may view, counted over
the entries their admin list shows them (a referent's own institutes' ones).
"""

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.roles import has_full_access, referent_institute_ids

from .admin_filters import missing_text_q
from .models import ErrorReport, Revision
from .review_dates import has_review_dates, stale_q


@dataclass
class Tile:
    label: str
    count: int
    url: str


@dataclass
class TileGroup:
    title: str
    tiles: list


@dataclass
class DashboardCount:
    """A count a content admin adds to its group: the entries matching ``condition``, linked
    to its list filtered by ``query``."""

    label: str
    condition: Q
    query: str


class DashboardTiles:
    """For a content admin: set ``dashboard_position`` (lower first) to appear on the admin
    home, and override ``dashboard_counts`` to add counts to the missing-text ones."""

    dashboard_position: int | None = None

    def dashboard_counts(self) -> list[DashboardCount]:
        return []


def _changelist(model, query=""):
    url = reverse(admin_urlname(model._meta, "changelist"))
    return f"{url}?{query}" if query else url


def _group(model, model_admin, queryset) -> TileGroup:
    """One aggregate query: how many entries of ``model`` miss a text, and the admin's counts."""
    counts = [
        DashboardCount(_("Missing English text"), missing_text_q(model, "en"), "missing=en"),
        DashboardCount(_("Missing French text"), missing_text_q(model, "fr"), "missing=fr"),
        *(
            [DashboardCount(_("Not reviewed for over a year"), stale_q(), "reviewed=stale")]
            if has_review_dates(model)
            else []
        ),
        *model_admin.dashboard_counts(),
    ]
    found = queryset.order_by().aggregate(
        **{f"c{i}": Count("pk", filter=count.condition) for i, count in enumerate(counts)}
    )
    tiles = [
        Tile(count.label, found[f"c{i}"], _changelist(model, count.query))
        for i, count in enumerate(counts)
    ]
    return TileGroup(capfirst(model._meta.verbose_name_plural), tiles)


def _content_admins(request):
    declared = [
        (model_admin.dashboard_position, model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if getattr(model_admin, "dashboard_position", None) is not None
    ]
    return [
        (model, model_admin)
        for _position, model, model_admin in sorted(declared, key=lambda item: item[0])
        if model_admin.has_view_permission(request)
    ]


def staff_dashboard(request):
    pending = Revision.objects.pending().count()
    reports = ErrorReport.objects.open().count()
    review = TileGroup(
        _("Review"),
        [
            Tile(_("Changes waiting for review"), pending, _changelist(Revision, "status=pending")),
            Tile(_("Error reports to handle"), reports, _changelist(ErrorReport, "status=open")),
        ],
    )
    groups = [
        _group(model, model_admin, model._default_manager.all())
        for model, model_admin in _content_admins(request)
    ]
    return {"staff": True, "tile_groups": [review, *groups], "revisions": []}


def referent_dashboard(request):
    groups = []
    for model, model_admin in _content_admins(request):
        # The entries of the referent's list, counted once each.
        shown = model_admin.get_queryset(request).values("pk")
        groups.append(_group(model, model_admin, model._default_manager.filter(pk__in=shown)))
    revisions = list(
        Revision.objects.by_author(request.user)
        .with_list_relations()
        .order_by("-submitted_at")[:10]
    )
    return {"staff": False, "tile_groups": groups, "revisions": revisions}


def dashboard_for(request):
    """The staff dashboard, a referent's one, or None for anyone else."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    if has_full_access(user):
        return staff_dashboard(request)
    if referent_institute_ids(user):
        return referent_dashboard(request)
    return None
