"""The address of the labs list with filters: the one way pages link to a filtered list."""

from urllib.parse import urlencode

from django.urls import reverse

# The list's parameters, in the order the list writes them itself (LabFilterSet's filters).
PARAMETERS = (
    "q",
    "country",
    "region",
    "instrument",
    "institute",
    "theme",
    "partner",
    "status",
    "industry",
    "sort",
)


def lab_list_url(**filters) -> str:
    """The labs list filtered by ``filters``: ``lab_list_url(country="jp", instrument="IRL")``
    is ``/fr/laboratoires/?country=jp&instrument=irl`` on a French page. A filter takes one
    value or a list of them (``country``); codes are written in lower case, as the list
    writes them; empty values are left out."""
    unknown = set(filters) - set(PARAMETERS)
    if unknown:
        raise TypeError(f"not a parameter of the labs list: {', '.join(sorted(unknown))}")
    pairs = []
    for name in PARAMETERS:
        values = filters.get(name)
        for value in values if isinstance(values, list | tuple) else [values]:
            if value not in (None, ""):
                pairs.append((name, str(value) if name == "q" else str(value).lower()))
    base = reverse("laboratories:list")
    return f"{base}?{urlencode(pairs)}" if pairs else base
