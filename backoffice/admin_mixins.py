"""What the content admins share: institute scope, review of referents' edits, history with
revert, and staff-only import and export.

A content admin is built as ``class LabAdmin(FastChangeListMixin, ScopedReviewedAdmin,
ContentImportExportAdmin, PortalHistoryAdmin, TabbedTranslationAdmin)``; the order matters,
the permission and review mixins come before the packages' admins.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.roles import edits_need_review, referent_institute_ids, scoped_to_institutes
from geography.models import Country

from .changes import (
    EMPTY,
    DiffBudget,
    FieldChange,
    RelatedNames,
    entries_values,
    entry_values,
    field_label,
    field_language,
    form_values,
    model_field_names,
)
from .history import history_changes, record_values, tracked_field_names
from .models import Revision
from .review_dates import has_review_dates, mark_reviewed, set_reviewed
from .services import RevisionNotApplicable, SubmitOutcome, entry_revert, revision_submit
from .versions import EntryVersion, changes_since, fingerprint, latest_history_id


class LargeTablePaginator(Paginator):
    """Counts an unfiltered list of a large table from PostgreSQL's statistics.

    ``COUNT(*)`` reads the whole table; for a list without any filter the planner's estimate
    (refreshed by autovacuum) is close enough for "100,000 entries" and the page links. A
    filtered list, or a table under ``EXACT_BELOW`` rows, is counted exactly.
    """

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct and not query.combinator:
            with connections[queryset.db].cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= self.EXACT_BELOW:
                return row[0]
        return super().count


class FastChangeListMixin:
    """Lists of many rows: the statistics' count, and a row checkbox written directly (the
    stock one renders a form widget template per row, most of the list's time)."""

    paginator = LargeTablePaginator
    show_full_result_count = False

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


VERSION_FIELD = "portal_version"  # the hidden field of a change form: its entry's version


class InlineRows:
    """The rows an inline of a change form edits, as part of its entry's version: one name
    (``inline:<prefix>``) whose value is every row's fields, shown one row a line."""

    def __init__(self, inline, formset_class, queryset):
        self.formset_class = formset_class
        self.queryset = queryset
        self.model = inline.model
        self.name = f"inline:{formset_class.get_default_prefix()}"
        self.label = capfirst(inline.verbose_name_plural or self.model._meta.verbose_name_plural)
        self.fields = model_field_names(self.model, formset_class.form.base_fields)

    def read(self, entry):
        """``(value, shown)`` of the rows of ``entry`` now."""
        rows = list(self.formset_class(instance=entry, queryset=self.queryset).get_queryset())
        values = entries_values(self.model, rows, self.fields)
        related = RelatedNames(self.model)
        for row in rows:
            for name, value in values[row.pk].items():
                related.want(name, value)
        related.fetch()
        shown = "\n".join(
            " · ".join(
                related.display(name, value)
                for name, value in values[row.pk].items()
                if value not in (None, [])
            )
            for row in rows
        )
        return [[str(row.pk), values[row.pk]] for row in rows], shown

    def change(self, before, after, budget):
        return FieldChange(
            name=self.name,
            label=self.label,
            language=None,
            before=_("not recorded") if before is None else before or EMPTY,
            after=after or EMPTY,
            budget=budget,
        )


def versioned_form(form_class, names, inlines=()):
    """``form_class`` knowing the version of its entry it was opened on (the fields ``names``
    and the rows of the ``inlines``, ``InlineRows``).

    Its validation locks the entry's row until the save is done, and refuses the save when
    the entry or one of its inlines changed since: ``changed_meanwhile`` then lists the
    fields and inlines, from the opened version to the saved one, and the form carries the
    new version, so that saving again (the typed values, inlines' too, are kept) is based on it.
    """

    def version_of(entry, values):
        """The version of ``entry`` now, and the values it was taken from."""
        rows = {inline.name: inline.read(entry) for inline in inlines}
        values = {**values, **{name: value for name, (value, _shown) in rows.items()}}
        version = EntryVersion(
            latest_history_id(entry),
            {name: fingerprint(value) for name, value in values.items()},
            {name: shown for name, (_value, shown) in rows.items()},
        )
        return version, values

    class VersionedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
            self.changed_meanwhile = []
            if not self.is_bound and self.instance.pk is not None:
                version, _values = version_of(self.instance, entry_values(self.instance, names))
                self.initial[VERSION_FIELD] = version.token()

        def clean(self):
            cleaned_data = super().clean()
            if self.instance.pk is not None:
                self.check_version()
            return cleaned_data

        def check_version(self):
            model = type(self.instance)
            entry = model._default_manager.select_for_update().filter(pk=self.instance.pk)
            entry = entry.first()
            if entry is None:
                raise ValidationError(_("This entry was deleted after you opened it."))
            values = entry_values(entry, names)
            current, every_value = version_of(entry, values)
            key = self.add_prefix(VERSION_FIELD)
            base = EntryVersion.from_token(self.data.get(key))
            if base is not None:
                changed = base.changed(every_value)
                if not changed:
                    return
                budget = DiffBudget()
                fields = [name for name in changed if name in values]
                self.changed_meanwhile = changes_since(
                    model, base, entry, fields, values, budget=budget
                ) + [
                    inline.change(base.shown.get(inline.name), current.shown[inline.name], budget)
                    for inline in inlines
                    if inline.name in changed
                ]
            data = self.data.copy()
            data[key] = current.token()  # saving again is based on the version now
            self.data = data
            if base is None:
                raise ValidationError(
                    _(
                        "This form does not say which version of the entry it was opened on: "
                        "nothing was saved. Check the values below and save again."
                    ),
                    code="unknown_version",
                )
            raise ValidationError(
                _(
                    "Someone saved this entry after you opened this form: nothing was saved. "
                    "Your values are kept below; check what changed meanwhile, then save "
                    "again to keep yours."
                ),
                code="changed_meanwhile",
            )

    return VersionedForm


class ConcurrentEditsAdmin(admin.ModelAdmin):
    """No save overwrites another unseen: a change form carries the version of the entry (and
    of the rows its inlines edit) it was opened on, and a save based on an outdated version is
    refused (``versioned_form``).

    ``get_form(..., versioned=False)`` gives the plain form (the review flow checks versions
    its own way).
    """

    def get_form(self, request, obj=None, change=False, versioned=True, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or not versioned:
            return form_class
        inlines = [
            InlineRows(inline, inline.get_formset(request, obj), inline.get_queryset(request))
            for inline in self.get_inline_instances(request, obj)
        ]
        return versioned_form(
            form_class, model_field_names(self.model, form_class.base_fields), inlines
        )


CONFIRMED_CURRENT = "confirmed_current"


def _by_name(db_field, kwargs):
    """Countries in a select sorted by name in the page's language (not by ISO code)."""
    if db_field.related_model is Country and "queryset" not in kwargs:
        kwargs["queryset"] = Country.objects.ordered_by_name()


class CountriesByNameAdmin(admin.ModelAdmin):
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _by_name(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        _by_name(db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReviewDatesAdmin(admin.ModelAdmin):
    """On an entry with review dates: when and by whom it was last reviewed, and a
    "confirmed as current" box, so that a save without changes still counts as a review.

    A save with changes by someone whose edits are published counts as a review; a
    referent's changes count when staff approve them (``services.revision_approve``).
    """

    review_fields = ["last_reviewed_at", "last_reviewed_by", CONFIRMED_CURRENT]

    def _with_review_dates(self):
        return has_review_dates(self.model)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._with_review_dates() and obj is not None:
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(
                base.__name__,
                (base,),
                {
                    CONFIRMED_CURRENT: forms.BooleanField(
                        label=_("Confirmed as current"),
                        required=False,
                        help_text=_(
                            "Tick to record that you checked this entry and that it is still "
                            "right, even if you change nothing."
                        ),
                    )
                },
            )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._with_review_dates() and obj is not None:
            fields += [name for name in self.review_fields[:2] if name not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._with_review_dates() or obj is None:
            return fieldsets
        fieldsets = [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in self.review_fields],
                },
            )
            for name, options in fieldsets
        ]
        return [*fieldsets, (_("Review"), {"fields": self.review_fields})]

    def save_model(self, request, obj, form, change):
        published_at_once = not edits_need_review(request.user)
        changed = model_field_names(self.model, form.changed_data)
        if self._with_review_dates() and published_at_once and (not change or changed):
            set_reviewed(obj, request.user)
        super().save_model(request, obj, form, change)

    def record_confirmation(self, request, form):
        """Saved with "confirmed as current" and nothing waiting for review: reviewed now."""
        confirmed = self._with_review_dates() and form.cleaned_data.get(CONFIRMED_CURRENT)
        outcome = getattr(request, "revision_outcome", None)
        if confirmed and outcome in (None, SubmitOutcome.UNCHANGED):
            mark_reviewed(form.instance, request.user)
            request.confirmed_current = True

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.record_confirmation(request, form)


class PortalHistoryAdmin(
    CountriesByNameAdmin, ReviewDatesAdmin, ConcurrentEditsAdmin, SimpleHistoryAdmin
):
    """Every version of an entry, with who changed which field in which language, from what
    to what; staff can bring an earlier version back. Saves are checked against the version
    the form was opened on (``ConcurrentEditsAdmin``)."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    object_history_form_template = "admin/history/revert.html"
    history_list_per_page = 50

    def revert_disabled(self, request, obj=None):
        return not request.user.has_perm("backoffice.revert_history")

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        older = None
        if records and hasattr(historical_records, "paginator"):
            following = historical_records.paginator.object_list[
                historical_records.end_index() : historical_records.end_index() + 1
            ]
            older = next(iter(following), None)
        for entry in history_changes(self.model, records, older):
            entry.record.portal_changes = entry.changes
            entry.record.portal_note = entry.note

    def history_view(self, request, object_id, extra_context=None):
        valid_pk(self.model, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A version of the entry against the published one; staff may bring it back."""
        entry = self.get_object(request, unquote(object_id))
        if entry is None or not str(version_id).isdigit():
            raise Http404
        if not self.has_view_or_change_permission(request, entry):
            raise PermissionDenied
        record = get_object_or_404(
            self.model.history.select_related("history_user"),
            **{self.model._meta.pk.attname: entry.pk, "history_id": version_id},
        )
        may_revert = request.user.has_perm("backoffice.revert_history") and (
            self.has_change_permission(request, entry)
        )
        errors = []
        if request.method == "POST":
            if not may_revert:
                raise PermissionDenied
            try:
                entry_revert(entry=entry, record=record, user=request.user)
            except RevisionNotApplicable as refusal:
                errors = refusal.errors
            else:
                self.message_user(
                    request,
                    _("The version of %(date)s is back.") % {"date": local_date(record)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(admin_urlname(self.opts, "change"), args=[quote(entry.pk)])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Version of %(date)s") % {"date": local_date(record)},
            "opts": self.opts,
            "original": entry,
            "object": entry,
            "record": record,
            "changes": version_against_entry(self.model, record, entry),
            "may_revert": may_revert,
            "errors": errors,
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                args=[quote(entry.pk)],
            ),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_form_template, context)


def valid_pk(model, value):
    """``value`` as a primary key of ``model``, or "not found" for a mistyped address."""
    try:
        return model._meta.pk.to_python(value)
    except ValidationError:
        raise Http404 from None


def local_date(record):
    return date_format(localtime(record.history_date), "DATETIME_FORMAT")


def version_against_entry(model, record, entry):
    """The fields whose value in the historical ``record`` differs from ``entry`` now."""
    names = tracked_field_names(model)
    current = entry_values(entry, names)
    then = record_values(model, record, names)
    changed = [name for name in names if then[name] != current[name]]
    related = RelatedNames(model)
    for name in changed:
        related.want(name, then[name])
        related.want(name, current[name])
    related.fetch()
    budget = DiffBudget()
    return [
        FieldChange(
            name=name,
            label=field_label(model, name),
            language=field_language(model, name),
            before=related.display(name, current[name]),
            after=related.display(name, then[name]),
            budget=budget,
        )
        for name in changed
    ]


class ScopedReviewedAdmin(ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    """Entries a referent may edit: only their institutes' ones, and their saves wait for
    review (a pending ``Revision``) instead of changing the published row.

    Subclasses define ``scope_queryset`` and may name ``referent_readonly_fields`` (shown but
    not editable by a referent) and ``referent_list_filter`` (their list filters).
    """

    change_form_template = "admin/reviewed_change_form.html"
    referent_readonly_fields = ()
    referent_list_filter = None

    def scope_queryset(self, queryset, institute_ids):
        raise NotImplementedError

    # What a referent sees ------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if scoped_to_institutes(request.user):
            return self.scope_queryset(queryset, referent_institute_ids(request.user))
        return queryset

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if edits_need_review(request.user):
            fields += [name for name in self.referent_readonly_fields if name not in fields]
        return fields

    def get_list_filter(self, request):
        if edits_need_review(request.user) and self.referent_list_filter is not None:
            return self.referent_list_filter
        return super().get_list_filter(request)

    def get_autocomplete_fields(self, request):
        # The autocomplete views need rights on the related models a referent does not have.
        if edits_need_review(request.user):
            return ()
        return super().get_autocomplete_fields(request)

    def get_inlines(self, request, obj):
        if edits_need_review(request.user):
            return []
        return super().get_inlines(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if edits_need_review(request.user) and "widget" not in kwargs:
            kwargs["widget"] = FilteredSelectMultiple(db_field.verbose_name, is_stacked=False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or not edits_need_review(request.user):
            return form_class
        pending = Revision.objects.for_entry(obj).pending().first()
        if pending is None:
            return form_class
        proposed = dict(pending.changes)

        class WithPendingChanges(form_class):
            """The form starts from the changes waiting for review, not the published row."""

            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**proposed, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return WithPendingChanges

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.review_context(request, object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def review_context(self, request, object_id):
        object_id = unquote(object_id)
        if not str(object_id).isdigit():
            return {}
        revisions = Revision.objects.filter(
            content_type__app_label=self.opts.app_label,
            content_type__model=self.opts.model_name,
            object_id=object_id,
        ).with_list_relations()
        pending = next((r for r in revisions if r.is_pending), None)
        rejected = None
        if edits_need_review(request.user):
            rejected = next(
                (
                    r
                    for r in revisions
                    if r.status == Revision.Status.REJECTED and r.author_id == request.user.pk
                ),
                None,
            )
            if rejected and pending and pending.submitted_at > rejected.submitted_at:
                rejected = None
        return {
            "pending_revision": pending,
            "rejected_revision": rejected,
            "edits_need_review": edits_need_review(request.user),
            "may_review": request.user.has_perm("backoffice.review_revision"),
        }

    # What a referent's save does -----------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and edits_need_review(request.user):
            return  # the published row stays as it is; save_related stores the revision
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change and edits_need_review(request.user):
            names = model_field_names(self.model, form.fields)
            outcome, _revision = revision_submit(
                entry=form.instance,
                proposed=form_values(form, names),
                form_fields=names,
                author=request.user,
            )
            request.revision_outcome = outcome
            self.record_confirmation(request, form)
            return
        super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if edits_need_review(request.user):
            return None  # nothing changed yet: the revision is the record
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        outcome = getattr(request, "revision_outcome", None)
        if outcome is None:
            return super().response_change(request, obj)
        text = {
            SubmitOutcome.SUBMITTED: _(
                "Your changes to “%(entry)s” are waiting for review by Derci staff. "
                "The public site shows the published version until they are approved."
            ),
            SubmitOutcome.WITHDRAWN: _(
                "“%(entry)s” is back to its published version: the changes waiting for "
                "review were withdrawn."
            ),
            SubmitOutcome.UNCHANGED: _("You did not change “%(entry)s”.")
            if not getattr(request, "confirmed_current", False)
            else _("You confirmed that “%(entry)s” is current."),
        }[outcome] % {"entry": obj}
        self.message_user(
            request,
            text,
            messages.SUCCESS if outcome != SubmitOutcome.UNCHANGED else messages.INFO,
        )
        if "_continue" in request.POST:
            return HttpResponseRedirect(request.path)
        return self.response_post_save_change(request, obj)


class PortalExportForm(SelectableFieldsExportForm):
    """The export page's columns named as the admin names the fields, in the page's language
    ("Nom (anglais)", not "Name En")."""

    def _get_field_label(self, resource, field_name):
        model = resource._meta.model
        attribute = getattr(resource.fields.get(field_name), "attribute", None) or field_name
        try:
            label = field_label(model, attribute.split("__")[0])
        except FieldDoesNotExist:
            return super()._get_field_label(resource, field_name)
        return format_html("{} <code>{}</code>", label, field_name)


class ContentImportExportAdmin(ImportExportModelAdmin):
    """CSV and XLSX import and export for Derci staff, all or nothing."""

    export_form_class = PortalExportForm
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_template_name = "admin/import_export/portal_import.html"
    import_error_display = ("message",)

    def may_move_files(self, request):
        return request.user.has_perm("backoffice.import_export")

    def has_import_permission(self, request):
        return (
            self.may_move_files(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def has_export_permission(self, request):
        return self.may_move_files(request) and self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def get_export_queryset(self, request):
        return self.export_relations(super().get_export_queryset(request))

    def export_relations(self, queryset):
        return queryset

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The file changed between the preview and the confirmation: nothing was written.
            self.message_user(
                request,
                _("Nothing was imported: some rows are refused. Upload the file again to see why."),
                messages.ERROR,
            )
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            )
        return super().process_result(result, request)
