"""Search documents of labs and centres, and portal_fold(), the accent folding they use.

portal_fold() is laboratories.search.fold() in SQL (the embedded PostgreSQL has no unaccent
extension); tests/laboratories/test_search.py checks that both agree.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

FOLD_FUNCTION = """CREATE OR REPLACE FUNCTION portal_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN $1 ~ '[ßÆæŒœØøĐđÐðŁłĦħŦŧı]' THEN replace(replace(replace(replace(replace(translate(normalize(regexp_replace(normalize($1, NFKD), '[\\u0300-\\u036f]+', '', 'g'), NFC), 'ØøĐđÐðŁłĦħŦŧı', 'OoDdDdLlHhTti'), 'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe') ELSE normalize(regexp_replace(normalize($1, NFKD), '[\\u0300-\\u036f]+', '', 'g'), NFC) END $$;"""


def fill_documents(apps, schema_editor):
    from laboratories.search import refresh_search_documents

    for name in ("Lab", "ResearchCenter"):
        refresh_search_documents(apps.get_model("laboratories", name).objects.all())


class Migration(migrations.Migration):

    dependencies = [
        ('instruments', '0001_initial'),
        ('laboratories', '0002_countries'),
    ]

    operations = [
        migrations.RunSQL(FOLD_FUNCTION, "DROP FUNCTION IF EXISTS portal_fold(text);"),
        migrations.AddField(
            model_name='lab',
            name='search_vector_en',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='lab',
            name='search_vector_fr',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='researchcenter',
            name='search_vector_en',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='researchcenter',
            name='search_vector_fr',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='lab',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_fr'], name='lab_search_fr_idx'),
        ),
        migrations.AddIndex(
            model_name='lab',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_en'], name='lab_search_en_idx'),
        ),
        migrations.AddIndex(
            model_name='researchcenter',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_fr'], name='center_search_fr_idx'),
        ),
        migrations.AddIndex(
            model_name='researchcenter',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_en'], name='center_search_en_idx'),
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
    ]
