"""After an upgrade that changes the name normalisation, people are still found by name: the
registry's migration 0002 rebuilds the blind index from the decrypted identities."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from nrm.registry.models import NameToken
from nrm.registry.selectors import persons_search
from tests.conftest import register

reindex = importlib.import_module("nrm.registry.migrations.0002_reindex_names")


@pytest.mark.django_db
def test_the_upgrade_migration_rebuilds_the_index_so_old_registrations_are_found(case_worker):
    case = register(case_worker, given="Айдана", family="Қайратқызы", birth_date="1998-02-01")
    # As an index written under the old rules would be: nothing that a search looks up today.
    NameToken.objects.filter(person=case.person).delete()
    NameToken.objects.create(person=case.person, organisation_id=case.person.organisation_id,
                             digest="0" * 32)
    assert not persons_search(viewer=case_worker, text="KAIRATKYZY AIDANA")

    reindex.reindex_names(apps, None)

    for text in ("KAIRATKYZY AIDANA", "Qairatqyzy", "Kairat kyzy Aidana", "Айдана"):
        assert [p.pk for p in persons_search(viewer=case_worker, text=text)] == [case.person.pk]
