from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .accounts_admin import AccountAdmin, User
from .admin_filters import CheckedListFilter
from .admin_mixins import FastChangeListMixin
from .changes import DiffBudget, entry_values, model_field_names
from .models import ErrorReport, Revision
from .revisions import revision_entry, revision_field_changes
from .services import (
    RevisionNotApplicable,
    error_report_handle,
    revision_approve,
    revision_reject,
)
from .versions import EntryVersion, revision_changed_meanwhile, revisions_changed_meanwhile


class RevisionStatusFilter(CheckedListFilter):
    """The queue shows the changes waiting for review unless told otherwise."""

    title = gettext_lazy("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Revision.Status.choices, (self.ALL, gettext_lazy("All"))]

    def value(self):
        return super().value() or Revision.Status.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if not self.value_is_known(request):
            return queryset.pending()
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())


class ReviewForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required to reject: say what to change."),
    )
    over_changes = forms.BooleanField(
        label=gettext_lazy("Publish the proposed values over the changes saved since"),
        required=False,
        help_text=gettext_lazy(
            "The entry changed after these changes were submitted (see above). Fields the "
            "author did not change keep their new values."
        ),
    )


class RevisionChangeList(ChangeList):
    """The queue, each pending revision knowing whether its entry changed since its base."""

    def get_results(self, request):
        super().get_results(request)
        outdated = revisions_changed_meanwhile(self.result_list)
        for revision in self.result_list:
            revision.changed_meanwhile = outdated.get(revision.pk, [])


@admin.register(Revision)
class RevisionAdmin(FastChangeListMixin, admin.ModelAdmin):
    """The queue of changes submitted by referents; each opens on its review page."""

    list_display = [
        "object_repr",
        "kind",
        "author",
        "submitted_at",
        "status",
        "based_on",
        "reviewer",
    ]
    list_display_links = ["object_repr"]
    list_filter = [RevisionStatusFilter]
    list_select_related = ["content_type", "author", "reviewer"]
    search_fields = ["object_repr", "author__username"]
    ordering = ["submitted_at"]  # first submitted, first reviewed
    review_template = "admin/backoffice/revision/review.html"

    @admin.display(description=gettext_lazy("kind of entry"))
    def kind(self, revision):
        return revision.content_type.model_class()._meta.verbose_name

    @admin.display(description=gettext_lazy("based on"))
    def based_on(self, revision):
        changed = getattr(revision, "changed_meanwhile", [])
        if not changed:
            return "" if not revision.is_pending else _("the current version")
        return format_html(
            "<strong>{}</strong> {}",
            _("an outdated version"),
            _("(changed since: %(fields)s)") % {"fields": ", ".join(map(str, changed))},
        )

    def get_changelist(self, request, **kwargs):
        return RevisionChangeList

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, unquote(object_id))
        if revision is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, revision):
            raise PermissionDenied
        entry = revision_entry(revision)
        entry_admin = self.admin_site._registry.get(revision.content_type.model_class())
        may_review = (
            revision.is_pending
            and request.user.has_perm("backoffice.review_revision")
            and entry is not None
            and entry_admin is not None
            and entry_admin.has_change_permission(request, entry)
        )
        form = ReviewForm(request.POST or None)
        errors = []
        if request.method == "POST":
            if not may_review:
                raise PermissionDenied
            if form.is_valid():
                try:
                    return self.decide(request, revision, entry, entry_admin, form)
                except RevisionNotApplicable as refusal:
                    errors = refusal.errors
                except ValidationError as error:
                    form.add_error("message", error)
        budget = DiffBudget()
        values = None
        if entry is not None:
            names = model_field_names(type(entry), revision.form_fields)
            values = entry_values(entry, names)
        changed_meanwhile = revision_changed_meanwhile(revision, entry, values, budget)
        context = {
            **self.admin_site.each_context(request),
            "title": str(revision),
            "opts": self.opts,
            "original": revision,
            "revision": revision,
            "entry": entry,
            "changes": revision_field_changes(revision, entry, budget),
            "changed_meanwhile": changed_meanwhile,
            "entry_version": (
                EntryVersion.from_values(values).token() if values is not None else ""
            ),
            "form": form,
            "may_review": may_review,
            "errors": errors,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.review_template, context)

    def decide(self, request, revision, entry, entry_admin, form):
        message = form.cleaned_data["message"]
        if "_reject" in request.POST:
            revision_reject(revision=revision, reviewer=request.user, message=message)
            self.message_user(
                request,
                _("The changes to “%(entry)s” were rejected; the author will see your message.")
                % {"entry": revision.object_repr},
                messages.SUCCESS,
            )
        elif "_approve" in request.POST:
            form_class = entry_admin.get_form(
                request, entry, change=True, fields=revision.form_fields, versioned=False
            )
            seen_version = EntryVersion.from_token(request.POST.get("entry_version"))
            if seen_version is None:
                raise RevisionNotApplicable(
                    [_("The page does not say which version of the entry you saw: check again.")]
                )
            revision_approve(
                revision=revision,
                reviewer=request.user,
                message=message,
                form_class=form_class,
                seen_version=seen_version,
                over_changes=form.cleaned_data["over_changes"],
            )
            self.message_user(
                request,
                _("The changes to “%(entry)s” are published.") % {"entry": revision.object_repr},
                messages.SUCCESS,
            )
        else:
            raise ValidationError(_("Choose to approve or to reject the changes."))
        return HttpResponseRedirect(reverse("admin:backoffice_revision_changelist"))


class ErrorReportForm(forms.ModelForm):
    handled = forms.BooleanField(
        label=gettext_lazy("Handled"),
        required=False,
        help_text=gettext_lazy(
            "Tick once the entry is fixed (or nothing needed fixing); the reporter, if they "
            "left an address, is told, with the message below."
        ),
    )

    class Meta:
        model = ErrorReport
        fields = ["reply"]


@admin.register(ErrorReport)
class ErrorReportAdmin(FastChangeListMixin, admin.ModelAdmin):
    """Visitors' reports of errors on public pages; staff fix the entry and mark it handled."""

    form = ErrorReportForm
    list_display = ["object_repr", "created_at", "status", "has_email"]
    list_display_links = ["object_repr"]
    list_filter = ["status"]
    list_select_related = ["content_type"]
    search_fields = ["object_repr", "text"]
    readonly_fields = ["entry_links", "text", "email", "language", "created_at", "status"]
    fields = [*readonly_fields, "handled", "reply"]

    @admin.display(description=gettext_lazy("reporter's e-mail"), boolean=True)
    def has_email(self, report):
        return bool(report.email)

    @admin.display(description=gettext_lazy("entry concerned"))
    def entry_links(self, report):
        model = report.content_type.model_class()
        public = report.page_url
        try:
            edit = reverse(admin_urlname(model._meta, "change"), args=[report.object_id])
        except NoReverseMatch:  # an entry kind without an admin page
            edit = ""
        return format_html(
            '{} — <a href="{}">{}</a>{}',
            report.object_repr,
            public,
            _("public page"),
            format_html(' · <a href="{}">{}</a>', edit, _("edit the entry")) if edit else "",
        )

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == ErrorReport.Status.DONE:
            fields += ["handled_by", "handled_at", "reply"]
        return fields

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == ErrorReport.Status.DONE:
            return [*self.readonly_fields, "handled_by", "handled_at", "reply"]
        return self.fields

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("handled"):
            error_report_handle(report=obj, user=request.user, reply=obj.reply)
        else:
            obj.save(update_fields=["reply"])


admin.site.register(User, AccountAdmin)
