"""The content version: it follows every committed write, and never makes writers wait."""

import psycopg
import pytest
from django.db import connection

from core import content
from laboratories.models import Lab, Partner
from tests.core.databases import database_url, own_database_url
from tests.factories import LabFactory, PartnerFactory

# Whether the version is settled depends on every transaction running on the server.
pytestmark = [
    pytest.mark.serial,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def other_connection():
    """A second client of the test database, as another worker or an operator's psql."""
    return psycopg.connect(own_database_url())


def test_a_committed_write_changes_the_version_and_a_read_does_not():
    lab = LabFactory()
    before = content.read()
    list(Lab.objects.all())
    assert content.read() == before

    Lab.objects.filter(pk=lab.pk).update(headcount=12)

    after = content.read()
    assert after.number > before.number
    assert after.settled


def test_a_statement_that_changes_no_row_leaves_the_version_alone():
    LabFactory()
    before = content.read()

    assert Lab.objects.filter(pk=-1).update(headcount=3) == 0
    assert Lab.objects.filter(pk=-1).delete()[0] == 0

    assert content.read() == before


def test_a_write_is_seen_only_once_committed():
    lab = LabFactory()
    before = content.read()
    with other_connection() as writer:
        writer.execute("UPDATE laboratories_lab SET headcount = 7 WHERE id = %s", [lab.pk])
        assert content.read().number == before.number
        writer.commit()
    assert content.read().number > before.number


def test_while_an_older_writer_runs_the_version_is_not_settled():
    """Transactions commit out of the order of their ids: a page read now would miss the
    older writer's change once it commits under a smaller id. Caches must not keep it."""
    first, second = LabFactory(), LabFactory()
    with other_connection() as older, other_connection() as newer:
        older.execute("UPDATE laboratories_lab SET headcount = 1 WHERE id = %s", [first.pk])
        newer.execute("UPDATE laboratories_lab SET headcount = 2 WHERE id = %s", [second.pk])
        newer.commit()

        assert not content.read().settled

        older.commit()
    assert content.read().settled


def test_a_writer_in_another_database_of_the_server_leaves_the_version_settled():
    """Transaction ids are shared by the whole server; another database's writers (another
    test worker, another application) do not hold back this one's caches."""
    lab = LabFactory()
    elsewhere = database_url("postgres")
    with psycopg.connect(elsewhere) as other:
        other.execute("SELECT pg_current_xact_id()")  # an id, older than the write below
        Lab.objects.filter(pk=lab.pk).update(headcount=3)

        assert content.read().settled


@pytest.mark.parametrize(
    "second_write",
    [
        "UPDATE laboratories_lab SET headcount = 5 WHERE id = %(other_lab)s",
        "UPDATE laboratories_partner SET website = 'https://example.org' WHERE id = %(partner)s",
        "INSERT INTO laboratories_lab_partners (lab_id, partner_id) "
        "VALUES (%(other_lab)s, %(partner)s)",
        "DELETE FROM laboratories_lab_countries WHERE lab_id = %(other_lab)s",
    ],
    ids=["another lab", "a partner", "a relation", "a deletion"],
)
def test_two_writers_of_different_rows_never_wait_on_each_other(second_write):
    lab, other_lab = LabFactory(), LabFactory()
    partner = PartnerFactory()
    assert Partner.objects.filter(pk=partner.pk).exists()
    with other_connection() as first, other_connection() as second:
        first.execute("UPDATE laboratories_lab SET headcount = 3 WHERE id = %s", [lab.pk])
        # A lock wait would fail the second writer at once.
        second.execute("SET lock_timeout = '200ms'")
        second.execute(second_write, {"other_lab": other_lab.pk, "partner": partner.pk})
        second.commit()
        first.commit()


def test_every_table_of_the_content_apps_is_tracked():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE %s",
            [f"{content.TRIGGER_PREFIX}_%"],
        )
        tracked = {row[0] for row in cursor.fetchall()}
    assert tracked == set(content.content_tables())
    assert {"laboratories_lab", "laboratories_lab_countries", "offices_office"} <= tracked
    assert "django_session" not in tracked
