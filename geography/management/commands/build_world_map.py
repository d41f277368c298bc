"""Build the portal's world map from the world-atlas package (run once; the output is committed).

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python manage.py build_world_map /tmp/package

Writes ``static/maps/world.svg`` (one ``<path id="c-XX">`` per ISO 3166-1 alpha-2 code, all in
``<g id="world">``, projected with :func:`geography.maps.project`) and
``static/maps/world.json`` (the codes that have a shape). Countries come from the 1:110m
file; those too small to be in it (Singapore, Bahrain, Malta...) from the 1:50m one.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_countries import countries

from geography.maps import HEIGHT, MAP_DIR, WIDTH, project


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantised TopoJSON topology as (longitude, latitude) points."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _clip(ring, boundary: float, keep_east: bool):
    """The part of a closed ring east (or west) of the meridian ``boundary``
    (Sutherland–Hodgman against one half-plane)."""

    def inside(point):
        return point[0] >= boundary if keep_east else point[0] <= boundary

    clipped = []
    previous = ring[-1]
    for point in ring:
        if inside(point) != inside(previous):
            share = (boundary - previous[0]) / (point[0] - previous[0])
            clipped.append((boundary, previous[1] + share * (point[1] - previous[1])))
        if inside(point):
            clipped.append(point)
        previous = point
    return clipped


def split_at_antimeridian(ring):
    """Rings that cross longitude 180° (Fiji, Chukotka) as pieces on either side of it."""
    unwrapped = [ring[0]] if ring else []
    for longitude, latitude in ring[1:]:
        last = unwrapped[-1][0]
        while longitude - last > 180:
            longitude -= 360
        while longitude - last < -180:
            longitude += 360
        unwrapped.append((longitude, latitude))
    low = min((p[0] for p in unwrapped), default=0)
    high = max((p[0] for p in unwrapped), default=0)
    if low >= -180 and high <= 180:
        return [ring]
    if high > 180:
        west = _clip(unwrapped, 180, keep_east=False)
        east = [(lon - 360, lat) for lon, lat in _clip(unwrapped, 180, keep_east=True)]
    else:
        east = _clip(unwrapped, -180, keep_east=True)
        west = [(lon + 360, lat) for lon, lat in _clip(unwrapped, -180, keep_east=False)]
    return [piece for piece in (west, east) if len(piece) > 2]


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def _number(value: float) -> str:
    """Shortest text of a coordinate rounded to a tenth: 0.5 → .5, -0.5 → -.5, 3.0 → 3."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if text in {"", "-0"}:
        return "0"
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def _joined(numbers: list[str]) -> str:
    """Numbers separated only where needed: a minus sign, or a second dot, starts a number."""
    text = last = ""
    for number in numbers:
        starts_itself = number.startswith("-") or (number.startswith(".") and "." in last)
        if text and not starts_itself:
            text += " "
        text += number
        last = number
    return text


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data: an absolute move, then relative lines rounded to a tenth of a unit."""
    parts = []
    for ring in rings:
        previous = None
        start = ""
        steps = []
        for longitude, latitude in ring:
            x, y = project(latitude, longitude)
            point = (round(x, 1), round(y, 1))
            if previous is None:
                start = f"M{_joined([_number(point[0]), _number(point[1])])}"
            elif point != previous:
                steps += [_number(point[0] - previous[0]), _number(point[1] - previous[1])]
            previous = point
        if len(steps) > 2:
            parts.append(f"{start}l{_joined(steps)}z")
    return "".join(parts)


def shapes(topology: dict) -> dict[str, str]:
    """Path data per alpha-2 code ("" for shapes without a code, such as Kosovo)."""
    arcs = decode_arcs(topology)
    found = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        code = countries.alpha2(int(numeric)) if numeric and str(numeric).isdigit() else ""
        rings = [
            piece
            for polygon in polygons(geometry)
            for ring in polygon
            for piece in split_at_antimeridian(ring_points(ring, arcs))
        ]
        data = path_data(rings)
        if data:
            key = code or f"_{geometry.get('properties', {}).get('name', len(found))}"
            found[key] = found.get(key, "") + data
    return found


class Command(BaseCommand):
    help = "Build static/maps/world.svg and world.json from the world-atlas npm package."

    def add_arguments(self, parser):
        parser.add_argument("package", type=Path, help="folder of the unpacked world-atlas")

    def handle(self, *args, package: Path, **options):
        try:
            coarse = json.loads((package / "countries-110m.json").read_text())
            fine = json.loads((package / "countries-50m.json").read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read the world-atlas files: {error}") from error
        paths = shapes(coarse)
        small = {code: data for code, data in shapes(fine).items() if code not in paths}
        paths.update({code: data for code, data in small.items() if not code.startswith("_")})
        lines = [
            '<svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">',
            "<!-- Country shapes: Natural Earth (public domain) via world-atlas (ISC). "
            "See SOURCE.md. Built by manage.py build_world_map. -->",
            '<g id="world">',
        ]
        for code in sorted(paths):
            element_id = f' id="c-{code}"' if not code.startswith("_") else ""
            lines.append(f'<path{element_id} d="{paths[code]}"/>')
        lines += ["</g>", "</svg>", ""]
        MAP_DIR.mkdir(parents=True, exist_ok=True)
        (MAP_DIR / "world.svg").write_text("\n".join(lines), encoding="utf-8")
        codes = sorted(code for code in paths if not code.startswith("_"))
        (MAP_DIR / "world.json").write_text(
            json.dumps({"width": WIDTH, "height": HEIGHT, "countries": codes}) + "\n",
            encoding="utf-8",
        )
        self.stdout.write(
            f"{len(codes)} countries ({len(small)} from the 1:50m file), "
            f"{(MAP_DIR / 'world.svg').stat().st_size // 1024} KiB"
        )
