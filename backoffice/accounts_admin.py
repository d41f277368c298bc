"""Back-office accounts, managed by Derci staff in the admin (no shell, no superuser needed).

Staff create referent and staff accounts, choose the role and a referent's institutes, and
deactivate accounts; a new account gets an invitation by e-mail to set its password
(Django's password reset views, the link sent by the task worker). Referents never see
this part. Every change is in the account's history (the admin's log of changes, with the
fields changed, role and institutes included). Superusers and their accounts stay with
superusers.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.roles import REFERENT_GROUP, STAFF_GROUP

from . import tasks
from .mail import after_commit

User = get_user_model()
# The institutes a referent answers for, reached from the user's side of the relation.
Institute = User._meta.get_field("referent_institutes").related_model

ROLE_STAFF = "staff"
ROLE_REFERENT = "referent"
ROLES = {ROLE_STAFF: STAFF_GROUP, ROLE_REFERENT: REFERENT_GROUP}


def role_of(user) -> str:
    names = {group.name for group in user.groups.all()}
    return next((role for role, group in ROLES.items() if group in names), "")


class AccountForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (ROLE_STAFF, _("Derci staff: edits and publishes every entry")),
            (ROLE_REFERENT, _("Institute referent: proposes changes to their institutes' entries")),
        ],
        widget=forms.RadioSelect,
    )
    institutes = forms.ModelMultipleChoiceField(
        label=_("Institutes followed"),
        queryset=Institute.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a referent: the institutes whose entries they may edit."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "language", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        if self.instance.pk:
            self.initial.setdefault("role", role_of(self.instance))
            self.initial.setdefault("institutes", list(self.instance.referent_institutes.all()))

    def clean(self):
        cleaned = super().clean()
        role, institutes = cleaned.get("role"), cleaned.get("institutes")
        if role == ROLE_REFERENT and not institutes:
            self.add_error("institutes", _("Choose at least one institute for a referent."))
        if role == ROLE_STAFF and institutes:
            self.add_error(
                "institutes", _("Derci staff follow every institute: choose none for them.")
            )
        return cleaned

    def save_roles(self, user):
        role = self.cleaned_data["role"]
        user.groups.remove(*Group.objects.filter(name__in=ROLES.values()))
        user.groups.add(Group.objects.get(name=ROLES[role]))
        user.referent_institutes.set(self.cleaned_data["institutes"] or [])


@admin.action(description=_("Send a link to set a new password"))
def send_password_links(modeladmin, request, queryset):
    users = list(queryset.filter(is_active=True).exclude(email=""))
    for user in users:
        after_commit(tasks.send_account_link, user.pk, "reset")
    modeladmin.message_user(
        request,
        ngettext(
            "A link to set a password will be sent to %(count)d account.",
            "A link to set a password will be sent to %(count)d accounts.",
            len(users),
        )
        % {"count": len(users)},
        messages.SUCCESS,
    )


@admin.action(description=_("Deactivate the selected accounts"))
def deactivate(modeladmin, request, queryset):
    users = list(queryset.exclude(pk=request.user.pk).filter(is_active=True))
    for user in users:
        user.is_active = False
        user.save(update_fields=["is_active"])
        modeladmin.log_change(request, user, [{"changed": {"fields": ["is_active"]}}])
    count = len(users)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d account deactivated: it can no longer sign in.",
            "%(count)d accounts deactivated: they can no longer sign in.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class AccountAdmin(UserAdmin):
    """Accounts as staff see them: role and institutes instead of groups and permissions."""

    form = AccountForm
    add_form = AccountForm
    list_display = ["username", "full_name", "email", "role", "institute_codes", "is_active"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    actions = [send_password_links, deactivate]
    fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email", "language"]}),
        (_("Role"), {"fields": ["role", "institutes", "is_active"]}),
        (_("Sign-ins"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email", "language"]}),
        (_("Role"), {"fields": ["role", "institutes", "is_active"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_urls(self):
        # No page sets another person's password: a password is set only by its owner, from
        # the link sent by e-mail (an invitation, the "send a link" action, or a reset).
        return [url for url in super().get_urls() if url.name != "auth_user_password_change"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups", "referent_institutes")
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_form(self, request, obj=None, **kwargs):
        # UserAdmin's add form asks for a password; here the new person sets their own.
        kwargs["form"] = AccountForm
        kwargs["fields"] = None
        return admin.ModelAdmin.get_form(self, request, obj, **kwargs)

    @admin.display(description=_("name"))
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("role"))
    def role(self, user):
        return {ROLE_STAFF: _("Derci staff"), ROLE_REFERENT: _("Institute referent")}.get(
            role_of(user), "—"
        )

    @admin.display(description=_("institutes"))
    def institute_codes(self, user):
        return ", ".join(sorted(i.code for i in user.referent_institutes.all())) or "—"

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        obj.is_staff = True  # every account signs in to the back-office
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        form.save_roles(obj)
        if not change:
            after_commit(tasks.send_account_link, obj.pk, "invite")

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("An invitation to set a password will be sent to %(email)s.") % {"email": obj.email},
            messages.INFO,
        )
        return super().response_add(request, obj, post_url_continue)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, the message sent by the task worker, not the request."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        after_commit(tasks.send_account_link, context["user"].pk, "reset")
