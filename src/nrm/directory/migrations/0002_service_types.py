from __future__ import annotations

from django.db import migrations

# The taxonomy at the time of this migration; later additions come in their own migrations.
CODES = [
    "shelter", "medical", "psychological", "psycho_social", "legal_counselling",
    "legal_representation", "interpretation", "education", "vocational_training",
    "employment_assistance", "economic_support", "in_kind_grant", "family_tracing",
    "document_recovery", "return_repatriation", "guardianship", "hotline_information", "outreach",
]


def add_service_types(apps, schema_editor):
    ServiceType = apps.get_model("directory", "ServiceType")
    for code in CODES:
        ServiceType.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(add_service_types, migrations.RunPython.noop)]
