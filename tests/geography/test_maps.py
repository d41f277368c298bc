import json

import pytest
from django.core.management import call_command

from geography import maps
from geography.management.commands import build_world_map
from tests.factories import InstrumentFactory, LabFactory

pytestmark = pytest.mark.django_db


def test_projection_puts_the_world_in_the_frame():
    assert maps.project(0, 0) == pytest.approx((maps.WIDTH / 2, maps.HEIGHT / 2))
    assert maps.project(0, 180)[0] == pytest.approx(maps.WIDTH)
    assert maps.project(0, -180)[0] == pytest.approx(0)
    assert maps.project(90, 0)[1] == pytest.approx(0, abs=1)
    assert maps.project(-90, 0)[1] == pytest.approx(maps.HEIGHT, abs=1)
    tokyo, paris = maps.project(35.7, 139.7), maps.project(48.9, 2.35)
    assert tokyo[0] > paris[0] and tokyo[1] > paris[1]  # east of Paris, and further south


@pytest.mark.parametrize(
    ("count", "largest", "level"), [(0, 9, 0), (1, 1, 5), (9, 9, 5), (1, 100, 1)]
)
def test_levels(count, largest, level):
    assert maps.level(count, largest) == level


def test_legend_covers_every_count_once():
    steps = maps.legend(40)
    covered = [n for step in steps for n in range(step.low, step.high + 1)]
    assert covered == list(range(1, 41))


def test_the_map_file_has_a_shape_per_country():
    svg = (maps.MAP_DIR / "world.svg").read_text()
    for code in ["FR", "JP", "BR", "US", "SG", "FJ"]:
        assert f'id="c-{code}"' in svg
        assert code in maps.drawable_countries()
    assert 'id="world"' in svg


def test_build_world_map_cuts_shapes_at_longitude_180(tmp_path, settings, monkeypatch):
    # A quantised box from 170°E to 170°W across 180° (its points jump from 170 to -170, as
    # in world-atlas), with the ISO number of Fiji.
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[170, -20], [-340, 0], [0, 5], [340, 0], [0, -5]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0]], "id": "242"}],
            }
        },
    }
    package = tmp_path / "package"
    package.mkdir()
    (package / "countries-110m.json").write_text(json.dumps(topology))
    (package / "countries-50m.json").write_text(json.dumps(topology))
    monkeypatch.setattr(build_world_map, "MAP_DIR", tmp_path / "out")
    call_command("build_world_map", str(package), stdout=None)
    svg = (tmp_path / "out" / "world.svg").read_text()
    [path] = [line for line in svg.splitlines() if 'id="c-FJ"' in line]
    assert path.count("M") == 2  # one piece on each side of the map
    assert json.loads((tmp_path / "out" / "world.json").read_text())["countries"] == ["FJ"]


def test_the_labs_map_follows_the_filters(client):
    irp = InstrumentFactory(code="IRP", name_fr="Projet", name_en="Project")
    LabFactory(countries=["JP"], latitude=35.7, longitude=139.7)
    LabFactory(
        countries=["BR"],
        instrument=irp,
        latitude=-22.9,
        longitude=-43.2,
        city_fr="Rio de Janeiro",
        city_en="Rio de Janeiro",
    )
    world = client.get("/en/labs/").context["world_map"]
    assert {c.code for c in world.countries} == {"JP", "BR"}
    assert len(world.markers) == 2
    projects = client.get("/en/labs/?instrument=irp").context["world_map"]
    assert [(c.code, c.count) for c in projects.countries] == [("BR", 1)]
    assert [m.label for m in projects.markers] == ["Rio de Janeiro"]
    # A country on the map filters the list by it, keeping the other filters.
    assert projects.countries[0].url == "/en/labs/?instrument=irp&country=br"


def test_the_map_is_drawn_by_the_portal_and_its_countries_are_links(client):
    LabFactory(countries=["JP"], latitude=35.7, longitude=139.7)
    page = client.get("/fr/pays/").content.decode()
    assert '<use href="/static/maps/world.svg#world"' in page
    assert '<a href="/fr/pays/jp/" class="world-map__country level-5">' in page
    assert "<title>Japon\u202f: 1 entrée</title>" in page
    assert "http://" not in page.split('<figure class="world-map"')[1].split("</figure>")[0]


def inside(point, frame):
    x, y = point
    right, bottom = frame.left + frame.width, frame.top + frame.height
    return frame.left <= x <= right and frame.top <= y <= bottom


def test_a_small_map_frames_its_place_in_the_middle():
    singapore = (1.29, 103.85)
    frame = maps.location_map([singapore], ["SG"])
    marker = maps.project(*singapore)
    assert frame.markers == [pytest.approx(marker, abs=0.1)]
    assert frame.left + frame.width / 2 == pytest.approx(marker[0], abs=0.1)
    assert frame.top + frame.height / 2 == pytest.approx(marker[1], abs=0.1)
    # Wide enough to show the neighbours (Kuala Lumpur), not the whole continent (Tokyo).
    assert frame.width == maps.FRAME_MIN_WIDTH
    assert inside(maps.project(3.14, 101.69), frame)
    assert not inside(maps.project(35.7, 139.7), frame)
    assert frame.countries == ["SG"]


def test_a_small_map_without_a_place_frames_the_country_mainland():
    frame = maps.location_map(countries=["US"])
    assert frame.markers == []
    assert inside(maps.project(39.74, -104.99), frame)  # Denver
    assert inside(maps.project(40.71, -74.0), frame)  # New York
    assert not inside(maps.project(64.84, -147.72), frame)  # Fairbanks, Alaska: off the frame
    france = maps.location_map(countries=["FR"])
    assert inside(maps.project(48.86, 2.35), france)
    assert not inside(maps.project(4.93, -52.33), france)  # Cayenne, French Guiana


def test_a_small_map_stays_inside_the_world_and_takes_in_the_covered_countries():
    # Fiji, near longitude 180°: the frame is moved in, not cut.
    fiji = maps.location_map([(-18.14, 178.44)], ["FJ"])
    assert fiji.left >= 0 and fiji.left + fiji.width <= maps.WIDTH
    assert inside(fiji.markers[0], fiji)
    office = maps.location_map([(-25.75, 28.19)], ["ZA"], nearby=["ZA", "KE"])
    assert office.nearby == ["KE"]  # the country itself is drawn once, highlighted
    assert inside(maps.project(-1.29, 36.82), office)  # Nairobi


def test_nothing_to_place_draws_no_map():
    assert maps.location_map() is None
    assert maps.location_map([(None, None)], ["XX"]) is None
