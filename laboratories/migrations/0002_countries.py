"""Every ISO 3166-1 country with its world region, so that any entry can name it."""

from django.db import migrations


def add_countries(apps, schema_editor):
    from laboratories.regions import REGION_BY_COUNTRY

    Country = apps.get_model("laboratories", "Country")
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(code=code, region=str(region))
        for code, region in REGION_BY_COUNTRY.items()
        if code not in existing
    )
    for code, region in REGION_BY_COUNTRY.items():
        Country.objects.filter(code=code).exclude(region=str(region)).update(region=str(region))


class Migration(migrations.Migration):
    dependencies = [("laboratories", "0001_initial")]

    operations = [migrations.RunPython(add_countries, migrations.RunPython.noop)]
