"""Errors of the API, as machine-readable JSON: ``{"errors": [{"parameter", "value",
"reason"}]}`` for a parameter it could not use (400), ``{"detail"}`` otherwise."""

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler


class InvalidParameters(APIException):
    """400: the request's parameters that could not be used (laboratories.filters.Problem)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameters"

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(detail="; ".join(f"{p.parameter}: {p.reason}" for p in self.problems))


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, InvalidParameters):
        response.data = {
            "errors": [
                {"parameter": p.parameter, "value": p.value, "reason": str(p.reason)}
                for p in exc.problems
            ]
        }
    return response
