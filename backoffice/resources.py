"""What the import and export of content lists share (django-import-export).

Each resource names its columns: the ``_fr`` and ``_en`` columns of every translated field,
never the plain field (which follows the active language and would silently overwrite one
of them on import). Relations are written as codes or slugs. An import refuses a row with an
unknown code, and compares values as the review flow does, so that importing an export
changes nothing. Text cells are neutralised on export (``core.spreadsheets``: a spreadsheet
never takes them for formulas, and an XLSX stores them as text) and given back as typed on
import; numbers stay numbers.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import resources, widgets

from core.spreadsheets import neutralize, restore

from .changes import json_value
from .history import REASON_IMPORT


def _key(value):
    return str(value).strip()


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a code or slug; an unknown one is refused, not ignored."""

    def __init__(self, model, field, upper=False, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.upper = upper

    def clean(self, value, row=None, **kwargs):
        if value is None or _key(value) == "":
            return None
        key = _key(value).upper() if self.upper else _key(value)
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: key})
        except self.model.DoesNotExist:
            raise ValueError(
                _("Unknown %(kind)s: “%(value)s”.")
                % {"kind": self.model._meta.verbose_name, "value": key}
            ) from None


class CodesWidget(widgets.ManyToManyWidget):
    """Many-to-many written as codes separated by commas, sorted; unknown codes are refused."""

    def __init__(self, model, field, upper=False, **kwargs):
        super().__init__(model, separator=",", field=field, **kwargs)
        self.upper = upper

    def keys(self, value):
        if value is None:
            return []
        keys = [_key(item) for item in str(value).split(self.separator)]
        return [key.upper() if self.upper else key for key in keys if key]

    def clean(self, value, row=None, **kwargs):
        keys = self.keys(value)
        found = list(self.model.objects.filter(**{f"{self.field}__in": keys}))
        known = {str(getattr(obj, self.field)) for obj in found}
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise ValueError(
                _("Unknown %(kind)s: %(values)s.")
                % {
                    "kind": self.model._meta.verbose_name_plural,
                    "values": ", ".join(unknown),
                }
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(sorted(str(getattr(item, self.field)) for item in value.all()))


class DateOnlyWidget(widgets.DateWidget):
    """A date; a spreadsheet gives dates as datetimes at midnight, which are taken as dates."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        return super().clean(value, row, **kwargs)


class PortalResource(resources.ModelResource):
    """Base of the content resources; subclasses list their columns in ``Meta.fields``."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        import_id_fields = ["slug"]

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            return DateOnlyWidget
        return super().widget_from_django_field(f, default)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, widgets.NumberWidget):
            return value
        return neutralize(value)

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = restore(value)
        super().before_import_row(row, **kwargs)

    def m2m_import_fields(self):
        return [
            field
            for field in self.get_import_fields()
            if isinstance(field.widget, widgets.ManyToManyWidget)
        ]

    def import_instance(self, instance, row, **kwargs):
        """Every value of the row, relations included, is checked before anything is saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        related = {}
        for field in self.m2m_import_fields():
            if field.column_name not in row:
                continue
            try:
                related[field.attribute] = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
        self.check_entry(instance, related, errors)
        if errors:
            raise ValidationError(errors)

    def check_entry(self, instance, related, errors):
        """Rules that span several columns; add to ``errors`` (field name → error)."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                new = json_value(list(field.clean(row)))
                old = json_value(list(field.get_value(original).all())) if original.pk else []
            else:
                new, old = (
                    json_value(field.get_value(instance)),
                    json_value(field.get_value(original)),
                )
            if new != old:
                return False
        return True

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = REASON_IMPORT
