from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nrm.core.models import AuditAction, AuditEntry
from nrm.core.submissions import DuplicateSubmissionError
from nrm.registry.inputs import CaseInput, EventInput, IdentityInput, PersonInput
from nrm.registry.models import Case, Identity, NameToken, Person
from nrm.registry.selectors import identity_for_viewer, persons_search
from nrm.registry.services import case_close, person_register
from tests.conftest import register

pytestmark = pytest.mark.django_db


def test_registering_stores_identity_encrypted(aigul_case):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name, phones FROM registry_identity")
        raw = cursor.fetchone()
    assert all("Айгуль" not in value and "Мамытова" not in value for value in raw)
    assert Identity.objects.get(person=aigul_case.person).family_name == "Мамытова"


def test_registering_writes_audit_in_same_step(case_worker, aigul_case):
    actions = set(AuditEntry.objects.filter(person_code=aigul_case.person.code)
                  .values_list("action", flat=True))
    assert {AuditAction.PERSON_REGISTERED, AuditAction.CASE_OPENED} <= actions


def test_bad_event_country_leaves_nothing(case_worker):
    with pytest.raises(ValidationError) as caught:
        person_register(
            viewer=case_worker, person=PersonInput(), identity=IdentityInput(given_name="Асель"),
            case=CaseInput(), events=[EventInput(stage="Exploitation", country="XX")],
        )
    assert "events" in caught.value.message_dict
    assert not Person.objects.exists()
    assert not Case.objects.exists()
    assert not NameToken.objects.exists()
    assert not AuditEntry.objects.exists()


def test_future_birth_date_is_refused(case_worker):
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    with pytest.raises(ValidationError) as caught:
        register(case_worker, birth_date=future)
    assert "birth_date" in caught.value.message_dict or "birth_year" in caught.value.message_dict
    assert not Person.objects.exists()


def test_impossible_date_is_refused(case_worker):
    with pytest.raises(ValidationError) as caught:
        person_register(viewer=case_worker, person=PersonInput(),
                        identity=IdentityInput(given_name="Асель", birth_date="1990-02-30"),
                        case=CaseInput())
    assert "birth_date" in caught.value.message_dict


def test_duplicate_submission_saves_nothing_twice(case_worker):
    kwargs = {"viewer": case_worker, "person": PersonInput(),
                  "identity": IdentityInput(given_name="Асель"), "case": CaseInput(),
                  "submission_key": "form-1"}
    first = person_register(**kwargs)
    with pytest.raises(DuplicateSubmissionError) as caught:
        person_register(**kwargs)
    assert caught.value.receipt.object_id == str(first.pk)
    assert Person.objects.count() == 1


def test_analyst_cannot_register(analyst):
    with pytest.raises(PermissionDenied):
        register(analyst)


def test_search_across_scripts_and_orders(case_worker, aigul_case):
    for text in ["Aigul Mamytova", "Mamytova Aigul", "Aygul Mamytova", "Мамытова",
                 "Айгуль Мамытова", "MAMYTOVA 1995", aigul_case.person.display_code]:
        assert [p.pk for p in persons_search(viewer=case_worker, text=text)] == [
            aigul_case.person_id], text


def test_search_does_not_find_other_names(case_worker, aigul_case):
    assert persons_search(viewer=case_worker, text="Aigul Asanova") == []
    assert persons_search(viewer=case_worker, text="Mamytova 1996") == []


def test_outsider_search_finds_nothing(outsider, aigul_case):
    assert persons_search(viewer=outsider, text="Aigul Mamytova") == []
    assert persons_search(viewer=outsider, text=aigul_case.person.code) == []


def test_coordinator_cannot_search_names_nor_read_identity(coordinator, aigul_case):
    assert persons_search(viewer=coordinator, text="Мамытова") == []
    assert identity_for_viewer(viewer=coordinator, person=aigul_case.person) is None
    found = persons_search(viewer=coordinator, text=aigul_case.person.code)
    assert [p.pk for p in found] == [aigul_case.person_id]


def test_closing_needs_reason_and_sane_date(case_worker, aigul_case):
    with pytest.raises(ValidationError):
        case_close(viewer=case_worker, case=aigul_case, closed_on=dt.date.today(), reason=" ")
    with pytest.raises(ValidationError):
        case_close(viewer=case_worker, case=aigul_case,
                   closed_on=aigul_case.opened_on - dt.timedelta(days=1), reason="moved")
    case_close(viewer=case_worker, case=aigul_case, closed_on=dt.date.today(), reason="returned")
    aigul_case.refresh_from_db()
    assert aigul_case.status == "Closed"


def test_outsider_cannot_close(outsider, aigul_case):
    with pytest.raises(PermissionDenied):
        case_close(viewer=outsider, case=aigul_case, closed_on=dt.date.today(), reason="x")
