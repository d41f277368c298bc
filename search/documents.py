"""Search documents: what each searchable model puts into its two ``tsvector`` columns, and
how they are kept current.

A model is searchable when it declares ``search_document = DocumentSpec(...)`` (its own
columns by weight, texts borrowed from related rows, stored columns kept by the same
statement, and which changes elsewhere call for a rebuild) and uses
:class:`search.queries.SearchableQuerySet`. This app wires the signals of every model that
declares one (:func:`connect_signals`, from ``SearchConfig.ready``): nothing else to list.

Documents are rebuilt by one ``UPDATE ... FROM`` statement per model
(:func:`refresh_search_documents`), after each save and each change of a related list, and in
bulk by whoever inserts rows without ``save()``: ``Lab.objects.refresh_search_documents()``
rebuilds every lab. A bulk load that saves many rows one by one wraps itself in
:func:`deferred_refresh`: the rows to rebuild are noted, then rebuilt once per model at the
end of the block. The statement keeps, with the documents, the model's stored columns
(for labs, the facts the labs list filters on: see ``laboratories.models.LabCondition``).
"""

import contextlib
import functools
import json
import operator
import threading
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.utils import translation
from django_countries import countries

SEARCH_CONFIGS = {"fr": "french", "en": "english"}


# -- Documents -----------------------------------------------------------------------------------


@dataclass
class Related:
    """Texts from related rows: ``sql`` selects ``(owner_id, fr, en)``."""

    name: str
    sql: str
    weight: str


@dataclass
class Lender:
    """Rows of ``model`` (an app label and model name) lend texts or facts to the rows that
    reach them by ``relation``; ``on_save`` is false when only their deletion matters."""

    model: str
    relation: str
    on_save: bool = True


@dataclass
class Stored:
    """A column of the row kept by the same refresh as its documents: ``sql`` selects
    ``(owner_id, item)`` rows, ``aggregate`` makes the value of the items of one owner, and
    ``empty`` is the value of a row without items."""

    column: str
    sql: str
    aggregate: str
    empty: str


@dataclass
class DocumentSpec:
    """What goes into a model's search documents, by weight (A most important), and the
    columns kept along with them."""

    table: str
    own: dict[str, list[str]]
    related: list[Related] = field(default_factory=list)
    stored: list[Stored] = field(default_factory=list)
    # Many-to-many relations of the model whose changes rebuild its row.
    m2m: list[str] = field(default_factory=list)
    # Rows of other models whose texts or facts the documents borrow.
    lenders: list["Lender"] = field(default_factory=list)

    @property
    def weights(self) -> list[str]:
        return sorted({*self.own, *(rel.weight for rel in self.related)})

    def text_sql(self, weight: str) -> str:
        """The folded text of one weight, from the row (``t``) and the relations' CTEs."""
        parts = [f"t.{column}" for column in self.own.get(weight, [])]
        parts += [f"{rel.name}.fr, {rel.name}.en" for rel in self.related if rel.weight == weight]
        return "portal_fold(concat_ws(' ', {}))".format(", ".join(parts))

    def vector_sql(self, config: str) -> str:
        return " || ".join(
            f"setweight(to_tsvector('{config}', d.text_{weight.lower()}), '{weight}')"
            for weight in self.weights
        )


@functools.cache
def _country_names_json() -> str:
    names = {}
    for language in SEARCH_CONFIGS:
        with translation.override(language):
            for code, name in countries:
                names.setdefault(code, {})[language] = str(name)
    return json.dumps(names, ensure_ascii=False)


def countries_of(through: str, owner: str, country: str = "country_id") -> str:
    return (
        f"SELECT x.{owner} AS owner_id, n.value ->> 'fr' AS fr, n.value ->> 'en' AS en "
        f"FROM {through} x JOIN country_name n ON n.key = x.{country}"
    )


def refresh_search_documents(queryset) -> int:
    """Rebuild both search documents of every row of ``queryset``, and its stored columns,
    in one statement.

    Returns the number of rows updated. Fast in bulk: related texts are aggregated once per
    relation (GROUP BY) and joined, not looked up row by row.
    """
    model = queryset.model
    spec = model.search_document
    # A model of an older migration state may not have every stored column yet.
    columns = {field.column for field in model._meta.concrete_fields}
    stored = [item for item in spec.stored if item.column in columns]
    scope_sql, scope_params = queryset.order_by().values("pk").query.sql_with_params()
    ctes = [
        "country_name AS MATERIALIZED (SELECT key, value FROM jsonb_each(%s::jsonb))",
        f"scope(id) AS MATERIALIZED (SELECT DISTINCT * FROM ({scope_sql}) AS chosen)",
    ]
    params = [_country_names_json(), *scope_params]
    joins = []
    for rel in spec.related:
        ctes.append(
            f"{rel.name} AS (SELECT owner_id, string_agg(fr, ' ') AS fr, "
            f"string_agg(en, ' ') AS en FROM ({rel.sql}) AS r(owner_id, fr, en) "
            f"WHERE owner_id IN (SELECT id FROM scope) GROUP BY owner_id)"
        )
        joins.append(f"LEFT JOIN {rel.name} ON {rel.name}.owner_id = s.id")
    values = [f"{spec.text_sql(w)} AS text_{w.lower()}" for w in spec.weights]
    sets = [
        f"search_vector_fr = {spec.vector_sql('french')}",
        f"search_vector_en = {spec.vector_sql('english')}",
    ]
    for item in stored:
        name = f"stored_{item.column}"
        ctes.append(
            f"{name} AS (SELECT owner_id, {item.aggregate} AS value "
            f"FROM ({item.sql}) AS r(owner_id, item) "
            f"WHERE owner_id IN (SELECT id FROM scope) GROUP BY owner_id)"
        )
        joins.append(f"LEFT JOIN {name} ON {name}.owner_id = s.id")
        values.append(f"coalesce({name}.value, {item.empty}) AS {name}")
        sets.append(f"{item.column} = d.{name}")
    # Each text is folded once, then parsed in both languages.
    ctes.append(
        f"d AS MATERIALIZED (SELECT s.id, {', '.join(values)} FROM scope AS s "
        f"JOIN {spec.table} AS t ON t.id = s.id {' '.join(joins)})"
    )
    sql = (
        f"WITH {', '.join(ctes)} UPDATE {spec.table} AS t "
        f"SET {', '.join(sets)} FROM d WHERE t.id = d.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# -- Keeping documents current -------------------------------------------------------------------


_deferred = threading.local()


@contextlib.contextmanager
def deferred_refresh():
    """Rebuild the documents the block's writes call for once, when the block ends without
    an error and its transaction is to be kept, instead of after each write (a block inside
    another one leaves it to the outer one). Within it, search documents and stored columns
    lag behind the rows."""
    if getattr(_deferred, "pending", None) is not None:
        yield
        return
    _deferred.pending = {}
    try:
        yield
        pending = _deferred.pending
    finally:
        _deferred.pending = None
    if connection.needs_rollback:  # the block's writes will not be kept (a dry run)
        return
    for model, relations in pending.items():
        rows = [Q(**{f"{relation}__in": pks}) for relation, pks in relations.items()]
        refresh_search_documents(
            model._default_manager.filter(functools.reduce(operator.or_, rows))
        )


def _refresh_instance(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_related(type(instance), "pk", [instance.pk])


def _refresh_related(model, relation: str, pks) -> None:
    if not pks:
        return
    pending = getattr(_deferred, "pending", None)
    if pending is None:
        refresh_search_documents(model._default_manager.filter(**{f"{relation}__in": pks}))
    else:
        pending.setdefault(model, {}).setdefault(relation, set()).update(pks)


def searchable_models() -> list:
    return [model for model in apps.get_models() if hasattr(model, "search_document")]


def connect_signals() -> None:
    """Rebuild a row's documents when it, or a text it borrows from a related row, changes."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    borrowers = {}
    for model in searchable_models():
        spec = model.search_document
        post_save.connect(_refresh_instance, sender=model, dispatch_uid=f"search-{model._meta}")
        for name in spec.m2m:
            _connect_m2m(m2m_changed, model, name)
        for lender in spec.lenders:
            borrowers.setdefault(apps.get_model(lender.model), []).append((model, lender))

    for lender_model, users in borrowers.items():

        def lender_saved(sender, instance, raw=False, users=users, **kwargs):
            if not raw:
                for model, lender in users:
                    if lender.on_save:
                        _refresh_related(model, lender.relation, [instance.pk])

        def lender_deleting(sender, instance, users=users, **kwargs):
            instance._search_borrowers = [
                (
                    model,
                    list(
                        model._default_manager.filter(**{lender.relation: instance}).values_list(
                            "pk", flat=True
                        )
                    ),
                )
                for model, lender in users
            ]

        def lender_deleted(sender, instance, **kwargs):
            for model, pks in getattr(instance, "_search_borrowers", []):
                _refresh_related(model, "pk", pks)

        uid = f"search-{lender_model._meta}"
        if any(lender.on_save for _model, lender in users):
            post_save.connect(
                lender_saved, sender=lender_model, weak=False, dispatch_uid=f"{uid}-save"
            )
        pre_delete.connect(
            lender_deleting, sender=lender_model, weak=False, dispatch_uid=f"{uid}-pre"
        )
        post_delete.connect(
            lender_deleted, sender=lender_model, weak=False, dispatch_uid=f"{uid}-del"
        )


def _connect_m2m(m2m_changed, model, name: str) -> None:
    through = getattr(model, name).through

    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action == "pre_clear" and reverse:
            instance._search_pks = list(
                model._default_manager.filter(**{name: instance}).values_list("pk", flat=True)
            )
        elif action in {"post_add", "post_remove", "post_clear"}:
            if not reverse:
                _refresh_instance(model, instance)
            elif action == "post_clear":
                _refresh_related(model, "pk", getattr(instance, "_search_pks", []))
            else:
                _refresh_related(model, "pk", pk_set)

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"search-{through._meta}")
