"""Search documents of offices (built by laboratories.search with portal_fold())."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


def fill_documents(apps, schema_editor):
    from laboratories.search import refresh_search_documents

    refresh_search_documents(apps.get_model("offices", "Office").objects.all())


class Migration(migrations.Migration):

    dependencies = [
        ('laboratories', '0003_search_documents'),
        ('offices', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='office',
            name='search_vector_en',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='office',
            name='search_vector_fr',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='office',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_fr'], name='office_search_fr_idx'),
        ),
        migrations.AddIndex(
            model_name='office',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_en'], name='office_search_en_idx'),
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
    ]
