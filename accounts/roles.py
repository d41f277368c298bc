"""The back-office roles, as groups the project creates itself.

``ensure_roles()`` is idempotent; it runs after every ``migrate`` (post_migrate signal), so
a fresh database, the test database and ``make run`` all have the groups.

The predicates below are what the ``rules`` files of the apps build on:

- Derci staff keep every content entry and the back-office accounts (superusers' aside);
  groups and permissions stay with superusers.
- An institute referent may view and change the labs led by one of their institutes and the
  centres linked to one of them, and nothing else; their changes wait for staff review.
"""

import rules
from django.contrib.auth.models import Group, Permission

from core.content import content_app_labels

STAFF_GROUP = "Derci staff"
REFERENT_GROUP = "Institute referent"

# Beyond the content apps, staff review what referents submit.
STAFF_EXTRA_PERMISSIONS = [
    ("backoffice", "view_revision"),
    ("backoffice", "change_revision"),
    ("backoffice", "view_errorreport"),
    ("backoffice", "change_errorreport"),
    # Accounts: staff create, edit and deactivate them (superusers' stay out of reach).
    ("accounts", "view_user"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
]

# What a referent may do; the rules predicates narrow it to their own institutes' entries.
REFERENT_PERMISSIONS = [
    ("laboratories", "view_lab"),
    ("laboratories", "change_lab"),
    ("laboratories", "view_researchcenter"),
    ("laboratories", "change_researchcenter"),
]


def role_app_labels() -> list[str]:
    """The apps whose permissions the roles hand out: the content apps (whose ``AppConfig``
    says ``public_content``: Derci staff keep everything in them) and the review queue's."""
    return [*content_app_labels(), *(label for label, _codename in STAFF_EXTRA_PERMISSIONS)]


def _permissions(pairs):
    permissions = Permission.objects.none()
    for app_label, codename in pairs:
        permissions |= Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    return permissions


def ensure_roles():
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.set(
        Permission.objects.filter(content_type__app_label__in=content_app_labels())
        | _permissions(STAFF_EXTRA_PERMISSIONS)
    )
    referent, _ = Group.objects.get_or_create(name=REFERENT_GROUP)
    referent.permissions.set(_permissions(REFERENT_PERMISSIONS))
    return staff, referent


def referent_institute_ids(user) -> frozenset:
    """The ids of the institutes ``user`` is a referent of, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_referent_institute_ids", None)
    if cached is None:
        cached = frozenset(user.referent_institutes.values_list("pk", flat=True))
        user._referent_institute_ids = cached
    return cached


is_derci_staff = rules.is_group_member(STAFF_GROUP)
is_institute_referent = rules.is_group_member(REFERENT_GROUP)


@rules.predicate
def has_full_access(user):
    """Superusers and Derci staff: their edits are published at once."""
    return user.is_active and (user.is_superuser or is_derci_staff(user))


def edits_need_review(user) -> bool:
    """A referent's saves become pending revisions instead of changing the published row."""
    return not has_full_access(user)


def scoped_to_institutes(user) -> bool:
    """The admin lists of a referent hold only their institutes' entries."""
    return not has_full_access(user)
