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
import re
from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _

from core.text import name_key

from .regions import country_name

MAP_DIR = settings.BASE_DIR / "static" / "maps"
WIDTH = 1000
LEVELS = 5
MAX_MARKERS = 400
# A country's touch target: 24 CSS pixels wide (WCAG 2.5.8), here in the units of a map
# drawn 1,000 pixels wide, for every country whose land is narrower than that on a phone
# (a map about 280 pixels wide at 320: 24 pixels are 86 units).
TOUCH_RADIUS = 12
TOUCH_UNITS = 86

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
    shaded.sort(key=lambda country: name_key(country.name))
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


# The small map of one entry's place --------------------------------------------------------

# The frame of a small map: never narrower than this many map units (about 5,000 km at the
# equator, a country and its neighbours), 16:10, with a margin around what it frames.
FRAME_MIN_WIDTH = 140
FRAME_RATIO = 10 / 16
FRAME_MARGIN = 0.2
_NUMBER = re.compile(r"[MLlZz]|-?(?:\d+(?:\.\d*)?|\.\d+)")
_PATH = re.compile(r'<path id="c-([A-Z]{2})" d="([^"]+)"')


def _rings(path: str):
    """The rings of an SVG path written by ``build_world_map`` (``M``, ``l`` and ``z``)."""
    ring, command, numbers, x, y = [], "M", [], 0.0, 0.0
    ring_start = (x, y)
    for token in _NUMBER.findall(path):
        if token in "MLlZz":
            command = token
            if token in "Zz" and ring:
                yield ring
                ring = []
                x, y = ring_start
            continue
        numbers.append(float(token))
        if len(numbers) < 2:
            continue
        dx, dy = numbers
        numbers = []
        if command == "M":
            if ring:
                yield ring
            x, y = dx, dy
            ring = [(x, y)]
            ring_start = (x, y)
            command = "L"  # the pairs after a moveto are absolute linetos
        elif command == "L":
            x, y = dx, dy
            ring.append((x, y))
        else:
            x, y = x + dx, y + dy
            ring.append((x, y))
    if ring:
        yield ring


def _area(ring) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
    )


@functools.cache
def country_frames() -> dict[str, tuple[float, float, float, float]]:
    """ISO code → (left, top, right, bottom) of the country's largest piece of land (France
    without its overseas departments, the United States without Alaska), from ``world.svg``.

    Read once per process (about 80 ms), on its first small map or touch target."""
    frames = {}
    svg = (MAP_DIR / "world.svg").read_text(encoding="utf-8")
    for code, path in _PATH.findall(svg):
        largest = max(_rings(path), key=_area, default=None)
        if largest:
            xs, ys = [x for x, _ in largest], [y for _, y in largest]
            frames[code] = (min(xs), min(ys), max(xs), max(ys))
    return frames


@dataclass
class LocationMap:
    """A small map around one entry: its countries highlighted, a marker on its place."""

    left: float
    top: float
    width: float
    height: float
    countries: list[str]  # ISO codes drawn highlighted
    nearby: list[str]  # ISO codes drawn lighter (an office's covered countries)
    markers: list[tuple[float, float]]

    @property
    def shapes_url(self) -> str:
        return static("maps/world.svg")

    @property
    def view_box(self) -> str:
        return " ".join(f"{value:g}" for value in (self.left, self.top, self.width, self.height))

    @property
    def marker_radius(self) -> float:
        return round(self.width / 55, 2)


def location_map(points=(), countries=(), nearby=()) -> LocationMap | None:
    """The small map of a place: ``points`` are (latitude, longitude) pairs, ``countries``
    and ``nearby`` ISO codes. It frames the points, or else the countries, with the nearby
    countries; ``None`` when there is nothing to draw."""
    frames = country_frames()
    countries = [code for code in dict.fromkeys(countries) if code in frames]
    nearby = [code for code in dict.fromkeys(nearby) if code in frames and code not in countries]
    markers = [
        tuple(round(value, 1) for value in project(latitude, longitude))
        for latitude, longitude in points
        if latitude is not None and longitude is not None
    ]
    corners = [(x, y, x, y) for x, y in markers] or [frames[code] for code in countries]
    corners += [frames[code] for code in nearby]
    if not corners:
        return None
    left, top = min(c[0] for c in corners), min(c[1] for c in corners)
    right, bottom = max(c[2] for c in corners), max(c[3] for c in corners)
    width = max(FRAME_MIN_WIDTH, (right - left) * (1 + 2 * FRAME_MARGIN))
    width = min(WIDTH, max(width, (bottom - top) * (1 + 2 * FRAME_MARGIN) / FRAME_RATIO))
    height = min(HEIGHT, width * FRAME_RATIO)
    x = min(max(0, (left + right - width) / 2), WIDTH - width)
    y = min(max(0, (top + bottom - height) / 2), HEIGHT - height)
    return LocationMap(
        round(x, 1), round(y, 1), round(width, 1), round(height, 1), countries, nearby, markers
    )


def location_label(places, nearby: bool = False) -> str:
    """The text alternative of a small map: the places it shows, in words."""
    place = ", ".join(str(place) for place in places if place)
    if nearby:
        return _("Map of the location: %(place)s, and the countries it covers") % {"place": place}
    return _("Map of the location: %(place)s") % {"place": place}
