"""The change history of content entries (django-simple-history), as the admin shows it.

``PortalHistoricalRecords`` also records a change of a many-to-many relation made from the
other side (``country.labs.add(lab)``), which simple-history would attribute to the wrong
model. ``history_changes()`` computes who changed which fields, in which language, from what
to what, for a page of historical records in a constant number of queries.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from .changes import DiffBudget, FieldChange, RelatedNames, field_label, field_language, json_value

# History change reasons are stored as codes and described in the reader's language.
REASON_REVISION = "revision"
REASON_REVERT = "revert"
REASON_IMPORT = "import"


class PortalHistoricalRecords(HistoricalRecords):
    """simple-history's records, with one version per save of an entry and its relations.

    A form saves the row, then each changed relation; simple-history would record a version
    for each of those steps. Here a relation change right after a save by the same person
    updates the version that save made. A relation changed from the other side
    (``country.labs.add(lab)``) is recorded on the entries of this model it touched.
    """

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return None
        if not reverse and hasattr(instance, "_portal_relations_pending"):
            instance._portal_relations_pending = self  # recorded once by relations_recorded_once
            return None
        if reverse:
            if pk_set:
                model = kwargs["model"]
                for entry in model._default_manager.filter(pk__in=pk_set):
                    super().m2m_changed(entry, action, attr, None, False, **kwargs)
            return None
        record = getattr(instance, "_portal_history_record", None)
        if record is not None and self._is_latest_by_same_user(instance, record):
            for m2m_field in record._history_m2m_fields:
                self.m2m_models[m2m_field].objects.filter(history=record).delete()
            self.create_historical_record_m2ms(record, instance)
            return None
        return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)

    def create_historical_record_m2ms(self, history_instance, instance):
        if hasattr(instance, "_portal_relations_pending"):
            instance._portal_relations_pending = self  # recorded by relations_recorded_once
            return
        # simple-history rebuilds the entry from the version for each relation, only to find
        # the relation's table, and reads again the columns the history leaves out (a query
        # per relation): the rebuilt entry needs none of them for that.
        history_instance._history_excluded_fields = ()
        try:
            super().create_historical_record_m2ms(history_instance, instance)
        finally:
            del history_instance._history_excluded_fields

    def _is_latest_by_same_user(self, instance, record):
        user = self.get_history_user(instance)
        if record.history_user_id != getattr(user, "pk", None):
            return False
        latest = getattr(instance, self.manager_name).order_by("-history_date", "-history_id")
        return latest.values_list("history_id", flat=True).first() == record.history_id


@contextmanager
def relations_recorded_once(instance):
    """Save ``instance`` and set its relations inside the block: the version its save makes
    holds the relations as they are at the end of the block, recorded once rather than once
    per relation set (a loader setting four relations of a new entry: one version, a few
    queries instead of a hundred). Relations changed with no save make one version."""
    instance.__dict__.pop("_portal_history_record", None)  # a version made before the block
    instance._portal_relations_pending = None
    try:
        yield
    finally:
        records = instance.__dict__.pop("_portal_relations_pending")
    if records is None:  # neither saved nor given other relations
        return
    record = instance.__dict__.get("_portal_history_record")
    if record is None:  # relations changed, the row not saved: a version of its own
        records.create_historical_record(instance, "~")
    else:  # the version of the save, made without its relations
        records.create_historical_record_m2ms(record, instance)


def _remember_record(sender, instance, history_instance, **kwargs):
    instance._portal_history_record = history_instance


post_create_historical_record.connect(_remember_record, dispatch_uid="portal_history_record")


def _translated_base_names(model):
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def tracked_field_names(model):
    """The fields a person edits, translation fields rather than the field they stand for."""
    hidden = _translated_base_names(model)
    history_model = model.history.model
    names = [
        f.name
        for f in history_model.tracked_fields
        if f.editable and not f.primary_key and f.name not in hidden
    ]
    names += [f.name for f in getattr(history_model, "_history_m2m_fields", [])]
    return names


def m2m_history_model(model, field_name):
    through = model._meta.get_field(field_name).remote_field.through
    return apps.get_model(model._meta.app_label, f"Historical{through._meta.object_name}")


@dataclass
class HistoryEntry:
    record: object
    changes: list = field(default_factory=list)
    note: str = ""


def describe_reason(reason: str | None, authors: dict | None = None) -> str:
    """The stored change reason in the reader's language.

    ``authors`` maps revision ids to their authors (see ``revision_authors``).
    """
    if not reason:
        return ""
    kind, _sep, value = reason.partition(":")
    if kind == REASON_REVISION:
        author = (authors or {}).get(value, "?")
        return _("Changes submitted by %(author)s, approved (revision %(id)s)") % {
            "author": author,
            "id": value,
        }
    if kind == REASON_REVERT:
        return _("Brought back version %(id)s") % {"id": value}
    if kind == REASON_IMPORT:
        return _("Imported from a file")
    return reason


def revision_authors(reasons):
    """``{revision id: author}`` for the revisions named in ``reasons``, in one query."""
    from .models import Revision

    ids = [
        value
        for kind, _sep, value in (str(reason or "").partition(":") for reason in reasons)
        if kind == REASON_REVISION and value.isdigit()
    ]
    if not ids:
        return {}
    rows = Revision.objects.filter(pk__in=ids).select_related("author")
    return {str(row.pk): row.author for row in rows}


def history_changes(model, records, older=None):
    """``HistoryEntry`` for each record (newest first), each compared with the one before it.

    ``older`` is the record just before the last one of ``records`` (the next page), if any.
    """
    records = list(records)
    chain = records + ([older] if older is not None else [])
    names = tracked_field_names(model)
    m2m_names = [f.name for f in getattr(model.history.model, "_history_m2m_fields", [])]
    values = {record.history_id: {} for record in chain}
    for record in chain:
        for name in names:
            if name not in m2m_names:
                attname = model._meta.get_field(name).attname
                values[record.history_id][name] = json_value(getattr(record, attname))
    history_ids = [record.history_id for record in chain]
    for name in m2m_names:
        target = model._meta.get_field(name).m2m_reverse_field_name()
        for history_id in history_ids:
            values[history_id][name] = []
        rows = (
            m2m_history_model(model, name)
            .objects.filter(history_id__in=history_ids)
            .values_list("history_id", f"{target}_id")
        )
        for history_id, target_id in rows:
            values[history_id][name].append(target_id)
        for history_id in history_ids:
            values[history_id][name] = json_value(values[history_id][name])

    related = RelatedNames(model)
    pairs = []
    for index, record in enumerate(records):
        previous = chain[index + 1] if index + 1 < len(chain) else None
        changed = []
        if previous is not None:
            before, after = values[previous.history_id], values[record.history_id]
            changed = [name for name in names if before[name] != after[name]]
            for name in changed:
                related.want(name, before[name])
                related.want(name, after[name])
        pairs.append((record, previous, changed))
    related.fetch()

    authors = revision_authors(record.history_change_reason for record in records)
    budget = DiffBudget()  # the page's comparisons share it
    entries = []
    for record, previous, changed in pairs:
        entry = HistoryEntry(record=record)
        for name in changed:
            before = values[previous.history_id][name]
            after = values[record.history_id][name]
            entry.changes.append(
                FieldChange(
                    name=name,
                    label=field_label(model, name),
                    language=field_language(model, name),
                    before=related.display(name, before),
                    after=related.display(name, after),
                    budget=budget,
                )
            )
        entry.note = describe_reason(record.history_change_reason, authors)
        entries.append(entry)
    return entries


def record_values(model, record, names):
    """``{name: value}`` of the fields ``names`` as the historical ``record`` kept them."""
    m2m = historical_m2m_values_json(record)
    return {
        name: m2m[name]
        if name in m2m
        else json_value(getattr(record, model._meta.get_field(name).attname))
        for name in names
    }


def historical_m2m_values(record):
    """``{field name: [related ids]}`` of the many-to-many relations kept in ``record``."""
    values = {}
    for m2m_field in getattr(record, "_history_m2m_fields", []):
        target = m2m_field.m2m_reverse_field_name()
        values[m2m_field.name] = list(
            getattr(record, m2m_field.name).values_list(f"{target}_id", flat=True)
        )
    return values


def historical_m2m_values_json(record):
    return {name: json_value(ids) for name, ids in historical_m2m_values(record).items()}
