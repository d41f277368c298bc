"""Saving one entry of a demo data file: checked as a form would check it, with the reason
the entry's history shows. Shared by the loaders of demo/portal.toml and demo/directory.toml."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation


def save_checked(obj: models.Model, where: str, reason: str, error: type[Exception]) -> None:
    """Validate and save ``obj``; ``error`` (naming ``where`` and each problem) if invalid."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        with translation.override("en"):
            problems = "; ".join(
                f"{name}: {' '.join(str(m) for m in messages)}"
                for name, messages in exc.message_dict.items()
            )
        raise error(f"{where}: {problems}") from exc
    obj._change_reason = reason  # shown in the history of the entry
    obj.save()
