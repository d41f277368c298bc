"""Pages of the API's lists: the count, links to the next and previous pages, the licence."""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from laboratories.filters import PAGE_NUMBER, Problem, first_value, read_page

from .errors import InvalidParameters

MAX_PAGE_SIZE = 100


def licence() -> dict[str, str]:
    return dict(settings.PORTAL_DATA_LICENCE)


class PortalPagination(PageNumberPagination):
    """``page`` (a number from 1, or ``last``) and ``page_size`` (1 to 100); a value that
    cannot be used is answered 400 naming the parameter, a page beyond the last 404."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        problems: list[Problem] = [
            Problem(name, ",".join(values)[:80], _("given more than once"))
            for name in ("page", self.page_size_query_param)
            if len(values := request.query_params.getlist(name)) > 1
        ]
        number = read_page(request.query_params, problems)
        size = self._read_size(request, problems)
        problems += [
            Problem(name, "", _("empty"))
            for name in ("page", self.page_size_query_param)
            if any(value.strip() == "" for value in request.query_params.getlist(name))
        ]
        if problems:
            raise InvalidParameters(problems)
        paginator = Paginator(queryset, size)
        last = paginator.num_pages
        number = last if number == "last" else number
        if number > last:
            raise NotFound(
                _("There is no page %(number)s; the last is %(n)s.") % {"number": number, "n": last}
            )
        self.page = paginator.page(number)
        self.request = request
        return list(self.page)

    def _read_size(self, request, problems) -> int:
        raw = first_value(request.query_params, self.page_size_query_param, problems)
        if not raw:
            return self.page_size
        if not PAGE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            problems.append(
                Problem(
                    self.page_size_query_param,
                    raw[:80],
                    _("not a number from 1 to %(n)s") % {"n": MAX_PAGE_SIZE},
                )
            )
            return self.page_size
        return int(raw)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "license": licence(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        found = super().get_paginated_response_schema(schema)
        found["properties"]["license"] = LICENCE_SCHEMA
        found["required"] = [*found.get("required", []), "license"]
        return found

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "A page number from 1, or `last`.",
                "schema": {"type": "string", "pattern": "^([1-9][0-9]{0,8}|last)$"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Entries per page (1 to {MAX_PAGE_SIZE}; {self.page_size} by "
                "default).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


LICENCE_SCHEMA = {
    "type": "object",
    "description": "The licence under which the data may be reused.",
    "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
    "required": ["name", "url"],
}
