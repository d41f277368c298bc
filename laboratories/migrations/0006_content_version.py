"""A number that changes with every write to the tables the labs index reads.

``laboratories.index`` keeps, in each worker process, the facts of every published lab it
needs to filter, count and order the labs list. It asks this number (one row, one column)
before each use, and rebuilds when it has changed. Statement triggers keep it: any INSERT,
UPDATE, DELETE or TRUNCATE of those tables takes a fresh value from a sequence. A sequence
never gives a value twice, even to a transaction that rolls back, so a value always names one
state of the data.
"""

from django.db import migrations

TABLES = [
    "laboratories_lab",
    "laboratories_lab_countries",
    "laboratories_lab_other_institutes",
    "laboratories_lab_themes",
    "laboratories_lab_partners",
    "laboratories_partner",
    "laboratories_country",
]

CREATE = """
CREATE SEQUENCE portal_content_version_seq;
CREATE TABLE portal_content_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    value bigint NOT NULL
);
INSERT INTO portal_content_version VALUES (1, nextval('portal_content_version_seq'));
CREATE FUNCTION portal_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE portal_content_version SET value = nextval('portal_content_version_seq') WHERE id = 1;
    RETURN NULL;
END
$$;
""" + "".join(
    f"""
CREATE TRIGGER portal_content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_content_version();
"""
    for table in TABLES
)

DROP = "".join(f"DROP TRIGGER portal_content_version ON {table};" for table in TABLES) + """
DROP FUNCTION portal_bump_content_version();
DROP TABLE portal_content_version;
DROP SEQUENCE portal_content_version_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("laboratories", "0005_merge_0003_history_m2m_0004_name_order_indexes")]

    operations = [migrations.RunSQL(CREATE, DROP)]
