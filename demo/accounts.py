"""The demo accounts: one Derci staff member and one referent of the INSIS institute.

A password is generated when an account is created, and only then; it is written to the
accounts file (``demo-accounts.txt`` at the project root, git-ignored, mode 0600), never to
the code, the data file or the output of a command. An account that exists already keeps
its password.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import REFERENT_GROUP, STAFF_GROUP, ensure_roles
from laboratories.models import Institute

ACCOUNTS_FILE = settings.BASE_DIR / "demo-accounts.txt"
FILE_HEADER = (
    "# Demo accounts of the CNRS International portal, written by `manage.py load_demo`.\n"
    "# Private: never commit or share this file. One account per line:\n"
    "# username<TAB>password<TAB>role\n"
)
# Written in place of a password the file no longer holds (the account existed already).
UNKNOWN_PASSWORD = "(set earlier; reset it with `manage.py changepassword`)"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    group: str
    role: str
    institute: str | None = None  # code of the institute the account is a referent of


DEMO_ACCOUNTS = (
    DemoAccount("derci", STAFF_GROUP, "Derci staff"),
    DemoAccount("referent-insis", REFERENT_GROUP, "Institute referent (INSIS)", "INSIS"),
)


@dataclass(frozen=True)
class AccountResult:
    account: DemoAccount
    created: bool


def ensure_demo_accounts(path: Path = ACCOUNTS_FILE) -> list[AccountResult]:
    """Create the missing demo accounts, give every one its role, write the accounts file."""
    lines = _read_lines(path)
    results = []
    with transaction.atomic():
        ensure_roles()
        for account in DEMO_ACCOUNTS:
            created, password = _ensure_account(account)
            if created or account.username not in lines:
                lines[account.username] = "\t".join(
                    (account.username, password or UNKNOWN_PASSWORD, account.role)
                )
            results.append(AccountResult(account, created))
        # Written before the transaction commits: if the file cannot be written, the new
        # accounts (whose passwords nobody would know) are rolled back.
        _write_lines(path, lines)
    return results


def _ensure_account(account: DemoAccount) -> tuple[bool, str | None]:
    user_model = get_user_model()
    user = user_model.objects.filter(username=account.username).first()
    password = None
    created = user is None
    if created:
        password = secrets.token_urlsafe(12)
        user = user_model(username=account.username, is_staff=True)
        user.set_password(password)
        user.save()
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=account.group))
    if account.institute:
        Institute.objects.get(code=account.institute).referents.add(user)
    return created, password


def _read_lines(path: Path) -> dict[str, str]:
    """The file's account lines by username, in file order."""
    if not path.exists():
        return {}
    lines = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lines[line.split("\t", 1)[0]] = line
    return lines


def _write_lines(path: Path, lines: dict[str, str]) -> None:
    content = FILE_HEADER + "".join(f"{line}\n" for line in lines.values())
    if path.exists() and path.read_text(encoding="utf-8") == content:
        os.chmod(path, 0o600)
        return
    # Created private; an existing file is narrowed to 0600 before anything is written to it.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
