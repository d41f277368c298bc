"""The filtered labs list as CSV and JSON: every match, streamed from one query.

The CSV's text cells are neutralised (``core.spreadsheets``): a spreadsheet never takes them
for formulas. The JSON keeps the values as they are: it is read by programs, not evaluated.
"""

import csv
import datetime
import json

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.spreadsheets import neutralize

from .filters import localized
from .models import Lab

FIELDS = [
    "slug",
    "url",
    "name",
    "acronym",
    "instrument",
    "lead_institute",
    "countries",
    "city",
    "latitude",
    "longitude",
    "start_date",
    "end_date",
    "status",
    "themes",
    "industry",
    "website",
]
CHUNK_SIZE = 2000


def export_rows(labs, *, language: str, today: datetime.date, url_prefix: str):
    """One dict per lab of ``labs`` (already filtered and ordered), from a single query."""
    rows = (
        labs.with_status(today)
        .annotate(
            export_name=localized("name", language),
            export_city=localized("city", language),
            export_themes=ArraySubquery(
                Lab.themes.through.objects.filter(lab_id=OuterRef("pk"))
                .order_by("theme__slug")
                .values("theme__slug")
            ),
        )
        .values(
            "slug",
            "export_name",
            "acronym",
            "instrument__code",
            "lead_institute__code",
            "country_codes",
            "export_city",
            "latitude",
            "longitude",
            "start_date",
            "ends_on",
            "status",
            "export_themes",
            "has_company_partner",
            "website",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        ends_on = row["ends_on"]
        yield {
            "slug": row["slug"],
            "url": f"{url_prefix}{row['slug']}/",
            "name": row["export_name"],
            "acronym": row["acronym"],
            "instrument": row["instrument__code"],
            "lead_institute": row["lead_institute__code"],
            "countries": row["country_codes"],
            "city": row["export_city"],
            "latitude": float(row["latitude"]) if row["latitude"] is not None else None,
            "longitude": float(row["longitude"]) if row["longitude"] is not None else None,
            "start_date": row["start_date"].isoformat() if row["start_date"] else None,
            "end_date": ends_on.isoformat() if ends_on else None,
            "status": row["status"],
            "themes": row["export_themes"],
            "industry": row["has_company_partner"],
            "website": row["website"],
        }


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
        value = ";".join(value)
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
