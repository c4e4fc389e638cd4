"""Re-index the blind index of names under the normalisation of the linkage work (issue 6).

The sound-alike skeleton in nrm.core.names gained rules (ng/ñ/ң, ICAO's UE/OE, -ij) and readings
(Karakalpak ў), so that a digest stored before no longer matches what a search looks up. This
rebuilds every person's name tokens from their decrypted identity, in batches, with the same
helper that registration uses. A database without persons passes through at once.
"""

from django.db import migrations, transaction

BATCH = 2000
NAME_FIELDS = ("given_name", "patronymic", "family_name", "latin_name", "aliases")


def reindex_names(apps, schema_editor):
    from nrm.registry.services import identity_name_digests

    Identity = apps.get_model("registry", "Identity")
    NameToken = apps.get_model("registry", "NameToken")
    after = 0
    while True:
        identities = list(
            Identity.objects.filter(person_id__gt=after).order_by("person_id")
            .select_related("person").only("person_id", "person__organisation_id", *NAME_FIELDS)
            [:BATCH]
        )
        if not identities:
            return
        persons = [identity.person_id for identity in identities]
        with transaction.atomic():
            NameToken.objects.filter(person_id__in=persons).delete()
            NameToken.objects.bulk_create(
                [
                    NameToken(person_id=identity.person_id,
                              organisation_id=identity.person.organisation_id, digest=digest)
                    for identity in identities
                    for digest in sorted(identity_name_digests(
                        {name: getattr(identity, name) for name in NAME_FIELDS}
                    ))
                ],
                batch_size=5000,
            )
        after = persons[-1]


class Migration(migrations.Migration):

    # One transaction per batch of persons, not one for a million.
    atomic = False

    dependencies = [("registry", "0001_initial")]

    # Going back leaves the new tokens: the old rules are gone from the code. Run
    # `nrm reindex_names` after downgrading the code.
    operations = [migrations.RunPython(reindex_names, migrations.RunPython.noop, elidable=False)]
