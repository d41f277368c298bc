"""Optimistic concurrency: the version of an entry that a form or a revision is based on.

A version is the fingerprint of each field's stored value, and the id of the entry's latest
history record (to show the earlier values when they changed). Comparing fingerprints, not
history ids, sees every write alike: the admin, an import, a script or ``psql``.

A change form carries the version it was opened on; saving it after the entry changed is
refused, the form keeping what was typed and showing what changed meanwhile. A referent's
revision records the version it was based on; the review queue and page say when the entry
changed since, and approval does not publish over those changes unless the reviewer says so.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .changes import (
    DiffBudget,
    FieldChange,
    RelatedNames,
    entries_values,
    entry_values,
    field_label,
    field_language,
    model_field_names,
)
from .history import record_values


def fingerprint(value):
    """A short digest of a field's JSON value (see ``changes.json_value``)."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(data.encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class EntryVersion:
    history_id: int | None
    fingerprints: dict  # {field name: fingerprint of its value}
    # {name: the value as shown} of what no history record keeps (the rows of an inline), so
    # that a form refused for a change there can show what it was when the form was opened.
    shown: dict = field(default_factory=dict)

    @classmethod
    def from_values(cls, values, history_id=None):
        return cls(history_id, {name: fingerprint(value) for name, value in values.items()})

    @classmethod
    def of(cls, entry, names, values=None):
        """The version of ``entry`` now, for the fields ``names``."""
        if values is None:
            values = entry_values(entry, names)
        return cls.from_values({name: values[name] for name in names}, latest_history_id(entry))

    def changed(self, values):
        """The names among ``values`` whose value is no longer the one of this version."""
        return [
            name
            for name, value in values.items()
            if name in self.fingerprints and fingerprint(value) != self.fingerprints[name]
        ]

    def as_json(self):
        data = {"history": self.history_id, "fields": self.fingerprints}
        if self.shown:
            data["shown"] = self.shown
        return data

    @classmethod
    def from_json(cls, data):
        """The version ``data`` describes, or None when it is not one (an edited form)."""
        if not isinstance(data, dict):
            return None
        history_id, fields = data.get("history"), data.get("fields")
        if history_id is not None and (type(history_id) is not int or history_id < 0):
            return None
        shown = data.get("shown", {})
        if not all(
            isinstance(mapping, dict)
            and all(
                isinstance(name, str) and isinstance(value, str) for name, value in mapping.items()
            )
            for mapping in (fields, shown)
        ):
            return None
        return cls(history_id, fields, shown)

    def token(self):
        """The version as the text of a hidden form field."""
        return json.dumps(self.as_json(), separators=(",", ":"))

    @classmethod
    def from_token(cls, token):
        try:
            return cls.from_json(json.loads(token or ""))
        except (ValueError, RecursionError):
            return None


def latest_history_id(entry):
    history = getattr(type(entry), "history", None)
    if history is None or entry.pk is None:
        return None
    records = history.filter(**{entry._meta.pk.attname: entry.pk})
    return (
        records.order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)[:1]
        .first()
    )


def changes_since(model, base, entry, names, values, known=None, budget=None):
    """A ``FieldChange`` per name of ``names``: its value in version ``base`` -> ``values``.

    The earlier value is read from the history record ``base`` names, or else from ``known``
    (values kept elsewhere, as a revision's ``original``), when it has the fingerprint of
    ``base``; otherwise it is said to be unknown.
    """
    recorded = {}
    if base.history_id is not None:
        record = model.history.filter(
            **{model._meta.pk.attname: entry.pk, "history_id": base.history_id}
        ).first()
        if record is not None:
            recorded = record_values(model, record, names)
    earlier = {}
    for name in names:
        for source in (recorded, known or {}):
            if name in source and fingerprint(source[name]) == base.fingerprints.get(name):
                earlier[name] = source[name]
                break
    related = RelatedNames(model)
    for name in names:
        related.want(name, earlier.get(name))
        related.want(name, values[name])
    related.fetch()
    budget = budget or DiffBudget()
    return [
        FieldChange(
            name=name,
            label=field_label(model, name),
            language=field_language(model, name),
            before=related.display(name, earlier[name]) if name in earlier else _("not recorded"),
            after=related.display(name, values[name]),
            budget=budget,
        )
        for name in names
    ]


# Revisions -------------------------------------------------------------------------------


def revision_base(revision):
    """The version a revision was based on (for one made before versions were recorded, the
    values its author started from)."""
    return EntryVersion.from_json(revision.base_version) or EntryVersion.from_values(
        revision.original
    )


def revision_changed_meanwhile(revision, entry, values=None, budget=None):
    """What changed in the entry since the pending ``revision`` was based on it."""
    if not revision.is_pending or entry is None:
        return []
    model = type(entry)
    names = model_field_names(model, revision.form_fields)
    if values is None:
        values = entry_values(entry, names)
    base = revision_base(revision)
    changed = base.changed({name: values[name] for name in names})
    return changes_since(model, base, entry, changed, values, revision.original, budget)


def revisions_changed_meanwhile(revisions):
    """``{revision id: [labels of the fields changed since]}`` for the pending ``revisions``
    whose entry changed since they were based on it; two queries per kind of entry."""
    by_model = defaultdict(list)
    for revision in revisions:
        if revision.is_pending:
            by_model[revision.content_type.model_class()].append(revision)
    outdated = {}
    for model, group in by_model.items():
        names = model_field_names(
            model, sorted({name for revision in group for name in revision.form_fields})
        )
        entries = model._default_manager.filter(pk__in=[r.object_id for r in group])
        values = entries_values(model, list(entries), names)
        for revision in group:
            current = values.get(revision.object_id)
            if current is None:
                continue
            mine = model_field_names(model, revision.form_fields)
            changed = revision_base(revision).changed({name: current[name] for name in mine})
            if changed:
                outdated[revision.pk] = [field_label(model, name) for name in changed]
    return outdated
