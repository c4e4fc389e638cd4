"""A command that matches a list against the registry acts as a named user: it reads only the
persons whose identity that user sees (their organisation's), and the read is audited as theirs;
a user who sees no identity, or sees several organisations', is told what to do."""

from __future__ import annotations

import pytest

from nrm.accounts.models import Membership
from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.linkage.acting import ActingUserError, acting_viewer, registry_records_as

pytestmark = pytest.mark.django_db


def test_a_case_worker_matches_against_their_organisations_persons(case_worker, aigul_case,
                                                                   aigul_at_tendesh):
    viewer, records = registry_records_as(username="aizada", purpose="nrm link people.csv")
    assert viewer.organisation_id == case_worker.organisation_id
    assert [record.record_id for record in records] == [aigul_case.person.code]
    entry = AuditEntry.objects.get(action=AuditAction.SPREADSHEET_CHECKED)
    assert entry.actor == case_worker.user
    assert "nrm link people.csv" in entry.purpose


@pytest.mark.parametrize("username", ["nurlan", "asel", "nobody"])
def test_who_sees_no_identity_cannot_be_acted_as(coordinator, analyst, username):
    with pytest.raises(ActingUserError):
        acting_viewer(username=username)
    assert not AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_CHECKED).exists()


def test_a_deactivated_user_cannot_be_acted_as(case_worker):
    case_worker.user.is_active = False
    case_worker.user.save(update_fields=["is_active"])
    with pytest.raises(ActingUserError, match="no active user"):
        acting_viewer(username="aizada")


def test_a_user_of_two_organisations_says_which(case_worker, tendesh):
    Membership.objects.create(user=case_worker.user, organisation=tendesh, role=Role.CASE_WORKER)
    with pytest.raises(ActingUserError, match=str(tendesh.pk)):
        acting_viewer(username="aizada")
    assert acting_viewer(username="aizada", organisation_id=tendesh.pk).organisation_id == \
        tendesh.pk
