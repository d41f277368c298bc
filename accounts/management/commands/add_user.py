"""``manage.py add_user USERNAME --role staff|referent [--institute CODE ...]``

Creates or updates a back-office account. The password comes from the ``PORTAL_PASSWORD``
environment variable or is asked for at the prompt (an existing account keeps its password
when the answer is empty).
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import REFERENT_GROUP, STAFF_GROUP, ensure_roles

ROLES = {"staff": STAFF_GROUP, "referent": REFERENT_GROUP}
PASSWORD_VARIABLE = "PORTAL_PASSWORD"


class Command(BaseCommand):
    help = "Create or update a back-office account: Derci staff or an institute referent."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument(
            "--institute",
            action="append",
            default=[],
            metavar="CODE",
            help="Institute code (such as INSIS) of a referent; repeat for several.",
        )
        parser.add_argument("--email", default=None)

    def handle(self, *args, username, role, institute, email, **options):
        codes = sorted({code.strip().upper() for code in institute if code.strip()})
        if role == "referent" and not codes:
            raise CommandError("A referent needs at least one --institute CODE.")
        if role == "staff" and codes:
            raise CommandError("--institute is for referents; Derci staff keep every institute.")
        User = get_user_model()
        # The institutes a referent answers for, reached from the user's side of the relation.
        Institute = User._meta.get_field("referent_institutes").related_model
        institutes = list(Institute.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {item.code for item in institutes})
        if unknown:
            known = ", ".join(Institute.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(
                f"Unknown institute code: {', '.join(unknown)}. Known codes: {known}."
            )

        user = User.objects.filter(username=username).first()
        password = self.read_password(user or User(username=username, email=email or ""))
        with transaction.atomic():
            staff_group, referent_group = ensure_roles()
            created = user is None
            if created:
                user = User(username=username)
            if email is not None:
                user.email = email
            user.is_staff = True
            user.is_active = True
            if password is not None:
                user.set_password(password)
            user.save()
            group = Group.objects.get(name=ROLES[role])
            user.groups.remove(staff_group, referent_group)
            user.groups.add(group)
            user.referent_institutes.set(institutes)

        action = "Created" if created else "Updated"
        scope = f" for {', '.join(codes)}" if codes else ""
        self.stdout.write(self.style.SUCCESS(f"{action} {username}: {ROLES[role]}{scope}."))

    def read_password(self, user):
        """The new password, or None to keep the current one of an existing account."""
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError(
                    f"Set {PASSWORD_VARIABLE} or run the command in a terminal to type it."
                )
            password = getpass.getpass("Password: ")
            if password == "" and user.pk:
                return None
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if password == "":
            raise CommandError("The password cannot be empty.")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
