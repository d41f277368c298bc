"""Saving one entry of a demo data file: checked as a form would check it, with the reason
the entry's history shows. Shared by the loaders of demo/portal.toml and demo/directory.toml."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils import translation


def save_checked(obj: models.Model, where: str, reason: str, error: type[Exception]) -> None:
    """Validate and save ``obj``; ``error`` (naming ``where`` and each problem) if invalid.

    The table's own constraints (checks, unique conditions) are left to PostgreSQL, which
    checks them as it writes the row: asking it beforehand, as a form does, costs a query and
    a savepoint per constraint, a third of a whole load's statements. A broken one stops the
    load all the same, with the constraint's name."""
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        with translation.override("en"):
            problems = "; ".join(
                f"{name}: {' '.join(str(m) for m in messages)}"
                for name, messages in exc.message_dict.items()
            )
        raise error(f"{where}: {problems}") from exc
    obj._change_reason = reason  # shown in the history of the entry
    try:
        obj.save()
    except IntegrityError as exc:
        raise error(f"{where}: {exc}") from exc
