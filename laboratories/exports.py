"""The filtered labs list as CSV and JSON: every match, streamed from one query.

The CSV's text cells are neutralised (``core.spreadsheets``): a spreadsheet never takes them
for formulas. The JSON keeps the values as they are: it is read by programs, not evaluated.
"""

import csv
import datetime
import json

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.spreadsheets import neutralize
from provenance.serializers import sources_text

from .serializers import LabSerializer, lab_rows

FIELDS = list(LabSerializer._declared_fields)
CHUNK_SIZE = 2000


def export_rows(labs, *, language: str, today: datetime.date, url_prefix: str):
    """One dict per lab of ``labs`` (already filtered and ordered), from a single query: the
    entry as :class:`~laboratories.serializers.LabSerializer` gives it (the API's too)."""
    serializer = LabSerializer(context={"url_prefix": url_prefix})
    rows = lab_rows(labs, language=language, today=today)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield serializer.to_representation(row)


def _url_prefix(request) -> str:
    return request.build_absolute_uri(reverse("laboratories:detail", kwargs={"slug": "x"}))[:-2]


class _Echo:
    def write(self, value):
        return value


def csv_response(request, labs, *, language, today):
    def lines():
        writer = csv.writer(_Echo())
        yield writer.writerow(FIELDS)
        for row in export_rows(
            labs, language=language, today=today, url_prefix=_url_prefix(request)
        ):
            yield writer.writerow([_csv_value(row[name]) for name in FIELDS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="labs.csv"'
    return response


def _csv_value(value):
    """A cell of the CSV: lists joined, booleans in words, text that a spreadsheet would take
    for a formula neutralised (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = sources_text(value) if value and isinstance(value[0], dict) else ";".join(value)
    return neutralize(value)


def json_response(request, labs, *, language, today):
    def chunks():
        yield '{"results": ['
        rows = export_rows(labs, language=language, today=today, url_prefix=_url_prefix(request))
        for index, row in enumerate(rows):
            yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="labs.json"'
    return response


def bad_request(export_format: str, problems):
    """400 for a data format asked with parameters the portal could not use."""
    if export_format == "json":
        return JsonResponse(
            {
                "errors": [
                    {"parameter": p.parameter, "value": p.value, "reason": str(p.reason)}
                    for p in problems
                ]
            },
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    lines = [_("The list was not exported: some parameters could not be used.")]
    lines += [f"{p.parameter}={p.value}: {p.reason}" for p in problems]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )
