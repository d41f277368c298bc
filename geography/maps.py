"""The world map the portal draws itself: country shapes shaded by count, a marker per city.

Shapes come from ``static/maps/world.svg`` (Natural Earth, public domain; see
``static/maps/SOURCE.md``), built once by ``manage.py build_world_map``. Pages reference them
with ``<use>`` and add their own shading and markers, so the map is plain server-rendered SVG:
its country links work without JavaScript, and no other host is involved.

The projection is Equal Earth (Šavrič, Patterson and Jenny, 2018): equal-area, so that a
country's shading is not exaggerated by its latitude.
"""

import functools
import json
import math
from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static

from .regions import country_name

MAP_DIR = settings.BASE_DIR / "static" / "maps"
WIDTH = 1000
LEVELS = 5
MAX_MARKERS = 400

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
# x at longitude 180° on the equator: the map's half width in projection units.
_X_MAX = 2 * math.sqrt(3) * math.pi / (3 * _A1)
SCALE = WIDTH / 2 / _X_MAX


def _theta(latitude: float) -> float:
    return math.asin(_M * math.sin(math.radians(latitude)))


def _y_units(theta: float) -> float:
    return _A4 * theta**9 + _A3 * theta**7 + _A2 * theta**3 + _A1 * theta


HEIGHT = round(2 * SCALE * _y_units(_theta(90)))


@functools.lru_cache(maxsize=65536)  # the same places are drawn on every map
def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Map coordinates (0,0 top left; WIDTH × HEIGHT) of a point given in degrees."""
    theta = _theta(max(-90.0, min(90.0, float(latitude))))
    lam = math.radians(max(-180.0, min(180.0, float(longitude))))
    x = (
        2
        * math.sqrt(3)
        * lam
        * math.cos(theta)
        / (3 * (9 * _A4 * theta**8 + 7 * _A3 * theta**6 + 3 * _A2 * theta**2 + _A1))
    )
    return WIDTH / 2 + x * SCALE, HEIGHT / 2 - _y_units(theta) * SCALE


@functools.cache
def drawable_countries() -> frozenset[str]:
    """The ISO codes that have a shape in the map file."""
    with (MAP_DIR / "world.json").open(encoding="utf-8") as handle:
        return frozenset(json.load(handle)["countries"])


@dataclass
class MapCountry:
    code: str
    name: str
    count: int
    level: int
    url: str
    selected: bool


@dataclass
class Marker:
    x: float
    y: float
    radius: float
    label: str
    count: int


@dataclass
class LegendStep:
    level: int
    low: int
    high: int


@dataclass
class WorldMap:
    countries: list[MapCountry]
    markers: list[Marker]
    legend: list[LegendStep]
    # Countries drawn without entries (level 0): the CNRS is there otherwise.
    has_presence_only: bool = False
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def shapes_url(self) -> str:
        return static("maps/world.svg")


def level(count: int, largest: int) -> int:
    """1 to LEVELS on a logarithmic scale (a few big countries should not wash out the rest)."""
    if count <= 0 or largest <= 0:
        return 0
    if largest == 1:
        return LEVELS
    return max(1, math.ceil(LEVELS * math.log1p(count) / math.log1p(largest)))


def legend(largest: int) -> list[LegendStep]:
    """The counts of each level: from the inverse of :func:`level`, checked against it (a
    count by count walk takes a while with thousands of entries in one country)."""
    steps = []
    low = 1
    for step in range(1, LEVELS + 1):
        if low > largest or level(low, largest) != step:
            continue
        bound = math.expm1(step * math.log1p(largest) / LEVELS) if largest > 1 else largest
        high = max(low, min(largest, math.floor(bound)))
        while high < largest and level(high + 1, largest) <= step:
            high += 1
        while high > low and level(high, largest) > step:
            high -= 1
        steps.append(LegendStep(step, low, high))
        low = high + 1
    return steps


def world_map(counts: dict[str, int], url_for, selected=(), cities=(), present=()) -> WorldMap:
    """The map of ``counts`` (ISO code → entries), linking each country to ``url_for(code)``.

    ``cities`` are rows with ``latitude``, ``longitude``, ``label`` and ``count``;
    ``present``, codes of countries where the CNRS is present without entries (an office,
    a centre), drawn and linked at level 0.
    """
    drawable = drawable_countries()
    largest = max(counts.values(), default=0)
    counts = {**dict.fromkeys(present, 0), **counts}
    shaded = [
        MapCountry(
            code=code,
            name=country_name(code),
            count=count,
            level=level(count, largest),
            url=url_for(code),
            selected=code in selected,
        )
        for code, count in counts.items()
        if (count or code in present) and code in drawable
    ]
    shaded.sort(key=lambda country: country.name)
    biggest_city = max((row["count"] for row in cities), default=1)
    markers = []
    for row in cities:
        x, y = project(row["latitude"], row["longitude"])
        radius = 2.5 + 4.5 * math.sqrt(row["count"] / biggest_city)
        markers.append(
            Marker(round(x, 1), round(y, 1), round(radius, 1), row["label"], row["count"])
        )
    presence_only = any(country.count == 0 for country in shaded)
    return WorldMap(shaded, markers, legend(largest), has_presence_only=presence_only)
