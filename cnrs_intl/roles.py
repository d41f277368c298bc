"""The back-office roles, as groups the project creates itself.

``ensure_roles()`` is idempotent; it runs after every ``migrate`` (post_migrate signal), so
a fresh database, the test database and ``make run`` all have the groups.
"""

from django.contrib.auth.models import Group, Permission

STAFF_GROUP = "Derci staff"
REFERENT_GROUP = "Institute referent"

# Content apps: Derci staff keep everything in them; users and groups stay with superusers.
CONTENT_APPS = ["instruments", "laboratories", "offices"]

# What a referent may do; the rules predicates narrow it to their own institutes' entries.
REFERENT_PERMISSIONS = [
    ("laboratories", "view_lab"),
    ("laboratories", "change_lab"),
    ("laboratories", "view_researchcenter"),
    ("laboratories", "change_researchcenter"),
]


def ensure_roles():
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.set(Permission.objects.filter(content_type__app_label__in=CONTENT_APPS))
    referent, _ = Group.objects.get_or_create(name=REFERENT_GROUP)
    referent.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=[app for app, _codename in REFERENT_PERMISSIONS],
            codename__in=[codename for _app, codename in REFERENT_PERMISSIONS],
        )
    )
    return staff, referent
