"""What the demo-loading tests share: a snapshot of every demo table, and the command."""

import tomllib
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from demo.loader import DATA_FILE
from instruments.models import EuropeanProgramme, Instrument
from laboratories.models import (
    Institute,
    KeyFigure,
    Lab,
    Partner,
    Quote,
    ResearchCenter,
    Theme,
)
from offices.models import DerciMission, Office, Sector

LANGUAGES = [code for code, _name in settings.LANGUAGES]
MODELS = [
    Instrument,
    EuropeanProgramme,
    Institute,
    Theme,
    Partner,
    Lab,
    ResearchCenter,
    Quote,
    KeyFigure,
    Office,
    DerciMission,
    Sector,
]


def table_rows(model):
    """Every row of the model's table, every column, straight from the database."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 (a model's own table)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def snapshot():
    """Every row, every many-to-many link and every history row of each demo model."""
    state = {}
    for model in MODELS:
        tables = [model, model.history.model]
        tables += [m2m.remote_field.through for m2m in model._meta.many_to_many]
        state[model._meta.label] = {table._meta.db_table: table_rows(table) for table in tables}
    return state


def run_command(accounts_file):
    out = StringIO()
    call_command("load_demo", accounts_file=accounts_file, stdout=out)
    return out.getvalue()


def read_accounts(path):
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    return {
        username: (password, role)
        for username, password, role in (line.split("\t") for line in lines)
    }


def file_data():
    with open(DATA_FILE, "rb") as handle:
        return tomllib.load(handle)
