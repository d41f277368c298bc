"""`make backup` / `make restore` (manage.py backup_db / restore_db): a round trip through a
dump file loses nothing, and a restore never writes over existing data."""

import datetime
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from accounts.roles import REFERENT_GROUP
from core.backup import CACHE_TABLES
from instruments.models import EuropeanProgramme, Instrument
from laboratories.models import Institute, KeyFigure, Lab, Partner, Quote, ResearchCenter, Theme
from offices.models import DerciMission, Office, Sector
from tests.core.databases import database_url
from tests.factories import (
    DerciMissionFactory,
    EuropeanProgrammeFactory,
    InstituteFactory,
    InstrumentFactory,
    KeyFigureFactory,
    LabFactory,
    OfficeFactory,
    PartnerFactory,
    QuoteFactory,
    ResearchCenterFactory,
    SectorFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, database: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment["DATABASE_URL"] = database_url(database)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def connect(name: str):
    params = connection.get_connection_params()
    params["dbname"] = name
    return psycopg.connect(autocommit=True, **params)


def snapshot(name: str) -> dict:
    """Every table's row count and content, every sequence's position, every index and
    constraint, of database ``name``."""
    with connect(name) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        content = {}
        for table in tables:
            content[table] = db.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text),"
                    " '')) FROM {} t"
                ).format(sql.Identifier(table))
            ).fetchone()
        sequences = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        indexes = db.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        ).fetchall()
        # By name, kind and table: PostgreSQL may print a restored CHECK differently.
        constraints = db.execute(
            "SELECT conname, contype, conrelid::regclass::text FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace"
        ).fetchall()
    return {
        "tables": content,
        "sequences": sorted(sequences),
        "indexes": sorted(indexes),
        "constraints": sorted(constraints),
    }


@pytest.fixture
def portal_data():
    """Rows in every table of the portal's models, with accents, dates, decimals, files."""
    referent = UserFactory(username="référente")
    referent.groups.add(Group.objects.get(name=REFERENT_GROUP))
    insis = InstituteFactory(code="INSIS")
    insis.referents.add(referent)
    inc = InstituteFactory(code="INC", name_fr="Institut de chimie", name_en="Chemistry")
    irl = InstrumentFactory(code="IRL", fact_sheet="fact-sheets/irl.pdf")
    university = PartnerFactory(slug="u-tokyo", name_fr="Université de Tokyo", country_id="JP")
    theme = ThemeFactory(slug="robotique", name_fr="Robotique", name_en="Robotics")
    lab = LabFactory(
        slug="jrl",
        name_fr="Laboratoire franco-japonais de robotique",
        instrument=irl,
        lead_institute=insis,
        countries=["JP", "FR"],
        latitude="36.06000",
        longitude="140.12000",
        start_date=datetime.date(2008, 1, 1),
        description_fr="<p>Robotique <em>humanoïde</em> à Tsukuba.</p>",
    )
    lab.partners.add(university)
    lab.themes.add(theme)
    lab.other_institutes.add(inc)
    QuoteFactory(lab=lab)
    centre = ResearchCenterFactory(slug="iglobes", university=university, country_id="JP")
    centre.labs.add(lab)
    centre.themes.add(theme)
    centre.institutes.add(insis)
    office = OfficeFactory(slug="tokyo", opened_on=datetime.date(1993, 4, 1))
    office.covered_countries.set(["JP", "KR"])
    SectorFactory(countries=["JP", "KR", "CN"])
    DerciMissionFactory()
    KeyFigureFactory(value="12.50", unit=KeyFigure.Unit.PERCENT)
    EuropeanProgrammeFactory()
    return [
        Institute,
        Instrument,
        EuropeanProgramme,
        Partner,
        Theme,
        Lab,
        Lab.countries.through,
        Lab.partners.through,
        Lab.themes.through,
        Lab.other_institutes.through,
        Lab.history.model,
        Quote,
        ResearchCenter,
        ResearchCenter.labs.through,
        Office,
        Office.covered_countries.through,
        Sector,
        Sector.countries.through,
        DerciMission,
        KeyFigure,
        Institute.referents.through,
    ]


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    yield name
    with connect("postgres") as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_backup_then_restore_into_an_empty_database_loses_nothing(
    portal_data, restored_name, tmp_path
):
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "portal.dump"

    backup = manage("backup_db", "--output", str(dump), database=source)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0
    assert not list(tmp_path.glob("*.part"))

    restore = manage("restore_db", str(dump), database=restored_name)
    assert restore.returncode == 0, restore.stderr

    before, after = snapshot(source), snapshot(restored_name)
    for model in portal_data:
        assert before["tables"][model._meta.db_table][0] > 0, model._meta.db_table
    assert set(after["tables"]) == set(before["tables"])
    for table, (rows, digest) in before["tables"].items():
        if table in CACHE_TABLES:  # the tables, empty: caches are rebuilt by the next visits
            assert after["tables"][table][0] == 0, table
        else:
            assert after["tables"][table] == (rows, digest), table
    assert after["sequences"] == before["sequences"]
    assert after["indexes"] == before["indexes"]
    assert after["constraints"] == before["constraints"]


def test_restore_refuses_a_database_that_holds_data(portal_data, tmp_path):
    dump = tmp_path / "portal.dump"
    call_command("backup_db", "--output", str(dump))
    before = snapshot(connection.settings_dict["NAME"])

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore_db", str(dump))

    assert snapshot(connection.settings_dict["NAME"]) == before


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="No dump file at"):
        call_command("restore_db", str(tmp_path / "nothing.dump"))
