"""Loads the criminal-code catalogue from justice/data/criminal-codes.json."""

from django.db import migrations


def load(apps, schema_editor):
    from nrm.justice.codes import codes_load, codes_read

    codes_load(codes_read(), apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ("justice", "0001_initial"),
    ]

    operations = [
        # Not reversed: articles may be referenced by criminal cases and are never deleted.
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
