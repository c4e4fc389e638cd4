"""Registering a person through the guided form: who may, what is saved, and what bad input
gets (a message beside the field, nothing half-written)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nrm.core.models import AuditAction, AuditEntry, SubmissionReceipt
from nrm.registry.forms import RegisterForm
from nrm.registry.models import Case, Consent, Identity, NameToken, Person, TraffickingEvent
from nrm.registry.views.access import add_service_errors
from tests.conftest import login

pytestmark = pytest.mark.django_db
REGISTER = reverse("registry:register")


def form_data(**overrides: object) -> dict[str, object]:
    """What a case worker types for Айгуль Мамытова: the least the form needs, and one event."""
    data: dict[str, object] = {
        "submission_key": uuid.uuid4().hex,
        "sex": "Feminine", "citizenships": ["KG"], "languages": ["ky", "ru"],
        "given_name": "Айгуль", "family_name": "Мамытова", "birth_date": "1995-03-14",
        "phone": "+996 555 000 111",
        "entry_point": "hotline", "exploitation_types": ["ForcedLabour"],
        "labour_industry": "F_Construction",
        "event-0-stage": "Recruitment", "event-0-country": "KG", "event-0-region": "KG-GB",
        "event-0-city": "Bishkek", "event-0-date": "2023-05",
        "event-1-stage": "Exploitation", "event-1-country": "RU", "event-1-date": "2023",
        "consent-services-given": "yes", "consent-services-method": "written",
        "consent-statistics-given": "no", "consent-statistics-method": "oral",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def assert_nothing_saved() -> None:
    assert not Person.objects.exists()
    assert not Identity.objects.exists()
    assert not Case.objects.exists()
    assert not NameToken.objects.exists()
    assert not TraffickingEvent.objects.exists()
    assert not Consent.objects.exists()
    assert not SubmissionReceipt.objects.exists()
    assert not AuditEntry.objects.filter(action__gte=200, action__lt=300).exists()


def test_anonymous_is_sent_to_login(client):
    for response in (client.get(REGISTER), client.post(REGISTER, form_data())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert_nothing_saved()


@pytest.mark.parametrize("who", ["analyst", "coordinator", "org_admin"])
def test_roles_that_do_not_register_are_refused(client, request, who):
    login(client, request.getfixturevalue(who))
    assert client.get(REGISTER).status_code == 403
    assert client.post(REGISTER, form_data()).status_code == 403
    assert_nothing_saved()


def test_register_page_carries_a_fresh_submission_key_and_checkbox_groups(client, case_worker):
    login(client, case_worker)
    first, second = client.get(REGISTER), client.get(REGISTER)
    assert first.status_code == 200
    keys = [r.context["form"].initial["submission_key"] for r in (first, second)]
    assert keys[0] != keys[1]
    assert f'value="{keys[0]}"' in first.content.decode()
    assert 'class="checks"' in first.content.decode()


def test_case_worker_registers_a_person_with_events_and_consents(client, case_worker):
    login(client, case_worker)
    response = client.post(REGISTER, form_data())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:case_detail", args=[case.display_code])
    person = case.person
    assert (person.sex, person.birth_year, person.citizenships) == ("Feminine", 1995, ["KG"])
    assert person.languages == ["ky", "ru"]
    identity = Identity.objects.get(person=person)
    assert (identity.given_name, identity.family_name) == ("Айгуль", "Мамытова")
    assert identity.latin_name == "Aygul Mamytova"  # transliterated, since none was given
    assert identity.phones == ["+996 555 000 111"]
    assert (case.organisation_id, case.case_worker) == (case_worker.organisation_id,
                                                        case_worker.user)
    assert case.labour_industry == "F_Construction"
    events = list(case.events.order_by("stage"))
    assert [(e.stage, e.country, e.region) for e in events] == [
        ("Exploitation", "RU", ""), ("Recruitment", "KG", "KG-GB")]
    assert events[1].date == dt.date(2023, 5, 1)
    consents = {c.purpose: c.given for c in person.consents.all()}
    assert consents == {"services": True, "statistics": False}
    actions = set(AuditEntry.objects.filter(person_code=person.code)
                  .values_list("action", flat=True))
    assert {AuditAction.PERSON_REGISTERED, AuditAction.CASE_OPENED,
            AuditAction.CONSENT_RECORDED} <= actions


def test_latin_name_as_on_passport_is_kept(client, case_worker):
    login(client, case_worker)
    client.post(REGISTER, form_data(latin_name="Aigul Mamytova"))
    assert Identity.objects.get().latin_name == "Aigul Mamytova"


def test_a_name_or_alias_is_needed(client, case_worker):
    login(client, case_worker)
    response = client.post(REGISTER, form_data(given_name="", family_name=""))
    assert response.status_code == 200
    assert "given_name" in response.context["form"].errors
    assert_nothing_saved()


def test_future_birth_date_is_shown_beside_the_field_and_nothing_is_saved(client, case_worker):
    login(client, case_worker)
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    response = client.post(REGISTER, form_data(birth_date=future))
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors
    assert "Nothing was saved" in response.content.decode()
    assert_nothing_saved()


@pytest.mark.parametrize("birth_date", ["1990-02-30", "14.03.1995", "1995-13", "1850"])
def test_impossible_birth_dates_are_refused(client, case_worker, birth_date):
    login(client, case_worker)
    response = client.post(REGISTER, form_data(birth_date=birth_date))
    assert "birth_date" in response.context["form"].errors
    assert_nothing_saved()


def test_birth_year_must_agree_with_birth_date(client, case_worker):
    login(client, case_worker)
    response = client.post(REGISTER, form_data(birth_year="1996"))
    assert "birth_year" in response.context["form"].errors
    assert_nothing_saved()


def test_future_event_date_is_refused_in_its_row(client, case_worker):
    login(client, case_worker)
    next_year = str(dt.date.today().year + 1)
    response = client.post(REGISTER, form_data(**{"event-1-date": next_year}))
    assert "date" in response.context["events"][1].errors
    assert_nothing_saved()


def test_unknown_country_codes_are_refused(client, case_worker):
    login(client, case_worker)
    response = client.post(REGISTER, form_data(
        other_citizenship="XX", citizenships=["KG", "QQ"], document_kind="passport",
        document_number="AC1234567", document_country="ZZ", **{"event-0-country": "XY"},
    ))
    form = response.context["form"]
    assert {"other_citizenship", "citizenships", "document_country"} <= set(form.errors)
    assert "country" in response.context["events"][0].errors
    assert_nothing_saved()


def test_a_region_must_belong_to_the_events_country(client, case_worker):
    login(client, case_worker)
    response = client.post(REGISTER, form_data(**{"event-0-region": "KZ-75"}))
    assert "region" in response.context["events"][0].errors
    assert_nothing_saved()


def test_a_half_filled_event_row_asks_for_stage_and_country(client, case_worker):
    login(client, case_worker)
    response = client.post(REGISTER, form_data(**{"event-2-city": "Moscow"}))
    assert {"stage", "country"} <= set(response.context["events"][2].errors)
    assert_nothing_saved()


def test_consent_to_share_needs_the_organisation(client, case_worker):
    login(client, case_worker)
    response = client.post(REGISTER, form_data(**{
        "consent-share_organisation-given": "yes",
        "consent-share_organisation-method": "written"}))
    consent_rows = {row.purpose: row for row in response.context["consents"]}
    assert "recipient" in consent_rows["share_organisation"].errors
    assert_nothing_saved()


def test_consent_to_share_names_the_organisation(client, case_worker, tendesh):
    login(client, case_worker)
    client.post(REGISTER, form_data(**{
        "consent-share_organisation-given": "yes",
        "consent-share_organisation-method": "written",
        "consent-share_organisation-recipient": str(tendesh.pk)}))
    assert Consent.objects.get(purpose="share_organisation").recipient == tendesh


def test_a_childs_consent_needs_the_guardian(client, case_worker):
    login(client, case_worker)
    child_year = str(dt.date.today().year - 12)
    response = client.post(REGISTER, form_data(birth_date=child_year))
    assert {"guardian_name", "guardian_consented"} <= set(response.context["form"].errors)
    assert_nothing_saved()
    client.post(REGISTER, form_data(birth_date=child_year, guardian_name="Гульнара Мамытова",
                                    guardian_consented="yes"))
    consent = Consent.objects.get(purpose="services")
    assert (consent.guardian_name, consent.guardian_consented) == ("Гульнара Мамытова", True)


def test_duplicate_submission_goes_to_the_first_case_and_saves_nothing_twice(client,
                                                                             case_worker):
    login(client, case_worker)
    data = form_data()
    client.post(REGISTER, data)
    case = Case.objects.get()
    again = client.post(REGISTER, data, follow=True)
    assert again.redirect_chain[0][0] == reverse("registry:case_detail",
                                                 args=[case.display_code])
    assert "already submitted" in again.content.decode()
    assert Person.objects.count() == Case.objects.count() == 1
    assert TraffickingEvent.objects.count() == 2
    assert Consent.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.PERSON_REGISTERED).count() == 1


def test_a_damaged_submission_key_is_refused(client, case_worker):
    login(client, case_worker)
    response = client.post(REGISTER, form_data(submission_key="not-a-key"))
    assert "submission_key" in response.context["form"].errors
    assert_nothing_saved()


def test_service_errors_are_shown_beside_the_matching_fields():
    form = RegisterForm(form_data())
    assert form.is_valid(), form.errors
    add_service_errors(form, ValidationError({"documents": "bad country",
                                              "events": "bad region",
                                              "birth_date": "too old"}))
    assert form.errors["document_country"] == ["bad country"]
    assert form.errors["birth_date"] == ["too old"]
    assert form.non_field_errors() == ["Trafficking events: bad region"]


def test_oversized_post_gets_a_friendly_413_and_saves_nothing(client, case_worker, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    login(client, case_worker)
    response = client.post(REGISTER, form_data(aliases="Айгуль\n" * 5_000))
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert_nothing_saved()


def test_too_many_fields_get_the_413_page_too(client, case_worker, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    login(client, case_worker)
    response = client.post(REGISTER, form_data(**{f"extra{n}": "x" for n in range(60)}))
    assert response.status_code == 413
    assert_nothing_saved()


def test_oversized_post_in_russian_is_answered_in_russian(client, case_worker, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    login(client, case_worker)
    response = client.post(REGISTER, form_data(aliases="x\n" * 10_000),
                           HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 413
    assert '<html lang="ru">' in response.content.decode()


def test_region_options_follow_the_country(client, case_worker):
    url = reverse("registry:region_options")
    assert client.get(url, {"event-0-country": "KG"}).status_code == 302
    login(client, case_worker)
    response = client.get(url, {"event-0-country": "KG"})
    assert 'value="KG-GB"' in response.content.decode()
    assert "KZ-75" not in response.content.decode()
    assert client.get(url, {"event-0-country": "??"}).content.decode().count("<option") == 1


def test_the_same_handler_answers_json_under_the_api(rf):
    from django.core.exceptions import RequestDataTooBig

    from nrm.core.views import bad_request

    response = bad_request(rf.post("/api/v1/persons"), RequestDataTooBig())
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "Nothing was saved" in response.content.decode()
