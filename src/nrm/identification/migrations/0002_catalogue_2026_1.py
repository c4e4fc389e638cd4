"""Loads indicator catalogue 2026.1 from its data file and makes it the current catalogue."""

from django.db import migrations

VERSION = "2026.1"


def load(apps, schema_editor):
    from nrm.identification.catalogue import catalogue_file, catalogue_load, catalogue_read

    catalogue_load(catalogue_read(catalogue_file(VERSION)), make_current=True, apps=apps)


def unload(apps, schema_editor):
    catalogue_model = apps.get_model("identification", "IndicatorCatalogue")
    indicator_model = apps.get_model("identification", "Indicator")
    indicator_model.objects.filter(catalogue__version=VERSION).delete()
    catalogue_model.objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("identification", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
