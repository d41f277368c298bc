"""Reads of the review flow: the field-by-field diff of a revision, in both languages."""

from django.utils.translation import gettext as _

from .changes import (
    DiffBudget,
    FieldChange,
    RelatedNames,
    entry_values,
    field_label,
    field_language,
    model_field_names,
    ordered_with_languages,
)
from .versions import revision_base


def revision_entry(revision):
    """The entry a revision is about, or None when it was deleted since."""
    model = revision.content_type.model_class()
    return model._default_manager.filter(pk=revision.object_id).first()


def revision_field_changes(revision, entry, budget=None):
    """One ``FieldChange`` per changed field, with the other language of a translated one.

    For a pending revision, "before" is the published value now, and a note says when it
    changed since the revision was submitted; for a reviewed one, "before" is the value the
    author started from.
    """
    model = revision.content_type.model_class()
    changed = model_field_names(model, list(revision.changes))
    pending = revision.is_pending and entry is not None
    names = ordered_with_languages(model, changed) if pending else changed
    current = entry_values(entry, names) if entry is not None else {}
    related = RelatedNames(model)
    values = {}
    for name in names:
        before = current.get(name)
        if not pending:
            before = revision.original.get(name, before)
        after = revision.changes.get(name, before)
        values[name] = (before, after)
        related.want(name, before)
        related.want(name, after)
        related.want(name, revision.original.get(name))
    related.fetch()
    rows = []
    budget = budget or DiffBudget()  # the page's comparisons share it
    base = revision_base(revision)
    for name in names:
        before, after = values[name]
        note = ""
        if pending and name in revision.original and base.changed({name: before}):
            note = _("Changed since the submission; the author started from: %(value)s") % {
                "value": related.display(name, revision.original[name])
            }
        rows.append(
            FieldChange(
                name=name,
                label=field_label(model, name),
                language=field_language(model, name),
                before=related.display(name, before),
                after=related.display(name, after),
                changed=before != after,
                note=note,
                budget=budget,
            )
        )
    return rows
