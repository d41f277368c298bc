"""The API's front page and its documentation page (Swagger UI), served by the portal
itself from drf-spectacular-sidecar's files, under the portal's CSP: scripts from the portal
only; the viewer sets inline styles, which this page alone allows. (Redoc was left out: its
standalone build shows a logo from its makers' site.)"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .pagination import licence

# Each list of the API: its name, the name of its URL.
RESOURCES = {
    "labs": "api:lab-list",
    "centres": "api:centre-list",
    "offices": "api:office-list",
    "instruments": "api:instrument-list",
    "calls": "api:call-list",
    "countries": "api:country-list",
    "partners": "api:partner-list",
    "key-figures": "api:key-figure-list",
}


def documentation(view_class, **options):
    """A documentation page of the schema; its inline styles allowed, and nothing else."""
    view = view_class.as_view(url_name="api:schema", **options)
    return csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(view)


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([])
def index(request):
    """Where everything is: each list, the schema, the documentation, the licence."""

    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return Response(
        {
            "resources": {name: absolute(url) for name, url in RESOURCES.items()},
            "schema": absolute("api:schema"),
            "documentation": absolute("api:docs"),
            "license": licence(),
        }
    )
