"""An investigator's and a prosecutor's story on the criminal-proceedings screens, and what the
victim's NGO case worker sees of it on the registry case page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nrm.justice import services
from nrm.justice.choices import CompensationRoute, OffenderRole, ParticipantRole, Stage
from nrm.justice.models import CriminalCase, Participant, Qualification, StageChange
from tests.conftest import login


def test_an_investigator_records_a_case_under_a_related_article(client, investigator,
                                                                 almaty_prosecutors,
                                                                 kz_related, kz_trafficking):
    login(client, investigator)
    page = client.get(reverse("justice:open")).content.decode()
    assert "Trafficking article" in page and "Related article" in page
    assert "126 · Unlawful deprivation of liberty" in page
    response = client.post(reverse("justice:open"), {
        "country": "KZ", "number": "2026-044",
        "investigating_agency": investigator.membership.organisation.pk,
        "prosecutor_office": almaty_prosecutors.pk, "opened_on": "2026-03-02",
        "article_ids": [kz_related.pk], "unregistered_victims": "3",
    })
    criminal_case = CriminalCase.objects.get(number="2026-044")
    assert response.status_code == 302
    assert response.url == reverse("justice:case", args=[criminal_case.pk])
    assert criminal_case.unregistered_victims == 3
    listing = client.get(reverse("justice:cases")).content.decode()
    assert "2026-044" in listing


def test_an_article_of_another_country_is_refused_and_nothing_is_written(client, investigator,
                                                                        kg_trafficking):
    login(client, investigator)
    response = client.post(reverse("justice:open"), {
        "country": "KZ", "number": "2026-045",
        "investigating_agency": investigator.membership.organisation.pk,
        "opened_on": "2026-03-02", "article_ids": [kg_trafficking.pk],
    })
    assert response.status_code == 200
    assert not CriminalCase.objects.exists()


def test_requalification_keeps_the_history_on_the_page(client, investigator, kz_case,
                                                       kz_related, kz_trafficking):
    login(client, investigator)
    response = client.post(reverse("justice:qualification", args=[kz_case.pk]), {
        "article_ids": [kz_trafficking.pk, kz_related.pk], "valid_from": "2026-02-15",
        "reason": "Victims held in a locked flat",
    })
    assert response.status_code == 302
    assert Qualification.objects.filter(criminal_case=kz_case).count() == 2
    page = client.get(reverse("justice:case", args=[kz_case.pk])).content.decode()
    assert "History of the qualification" in page
    assert "Victims held in a locked flat" in page


def test_suspension_without_a_reason_is_refused(client, investigator, kz_case):
    login(client, investigator)
    response = client.post(reverse("justice:stage", args=[kz_case.pk]), {
        "stage": Stage.SUSPENDED, "on": "2026-02-20", "reason": "",
    })
    assert response.status_code == 200
    assert StageChange.objects.filter(criminal_case=kz_case).count() == 1
    response = client.post(reverse("justice:stage", args=[kz_case.pk]), {
        "stage": Stage.INVESTIGATION, "on": "2026-02-20", "reason": "",
    })
    assert response.status_code == 302
    kz_case.refresh_from_db()
    assert kz_case.stage == Stage.INVESTIGATION


def test_linking_a_victim_needs_her_consent_to_law_enforcement(client, investigator, kz_case,
                                                              aigul_case):
    login(client, investigator)
    url = reverse("justice:participant_link", args=[kz_case.pk])
    data = {"case_code": aigul_case.display_code, "role": ParticipantRole.VICTIM,
            "cooperation": "cooperating"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "consent" in response.content.decode().lower()
    assert not Participant.objects.exists()


@pytest.mark.usefixtures("law_enforcement_consent")
def test_a_linked_victim_her_compensation_and_an_offender_show_on_the_case_page(
    client, investigator, kz_case, aigul_case, kz_trafficking
):
    login(client, investigator)
    response = client.post(reverse("justice:participant_link", args=[kz_case.pk]), {
        "case_code": aigul_case.display_code, "role": ParticipantRole.VICTIM_WITNESS,
        "cooperation": "cooperating", "protection_measures": "Address withheld",
    })
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert client.post(reverse("justice:compensation", args=[kz_case.pk, participant.pk]), {
        "route": CompensationRoute.CRIMINAL, "currency": "kzt", "claimed": "500000",
        "awarded": "300000", "awarded_on": "2026-06-01",
    }).status_code == 302
    assert client.post(reverse("justice:offender_add", args=[kz_case.pk]), {
        "label": "O-1", "sex": "Masculine", "birth_year": "1980", "citizenship": "KZ",
        "roles": [OffenderRole.EXPLOITER], "article_ids": [kz_trafficking.pk],
    }).status_code == 302
    offender = kz_case.offenders.get()
    assert client.post(reverse("justice:offender_outcome", args=[kz_case.pk, offender.pk]), {
        "outcome": "convicted", "outcome_on": "2026-06-01", "sentence_months": "96",
    }).status_code == 302
    page = client.get(reverse("justice:case", args=[kz_case.pk])).content.decode()
    assert aigul_case.display_code in page
    assert "Address withheld" in page
    assert "300000" in page.replace("\xa0", "").replace(",", "")
    assert "Exploiter" in page and "Convicted" in page and "96 months" in page


def test_an_overdue_request_for_legal_assistance_is_highlighted(client, investigator, kz_case):
    services.legal_assistance_record(
        viewer=investigator, criminal_case=kz_case, requesting_country="KZ",
        requested_country="KG", subject="Questioning of the recruiter",
        sent_on=dt.date(2026, 2, 2), answer_due_on=dt.date(2026, 2, 3))
    login(client, investigator)
    page = client.get(reverse("justice:case", args=[kz_case.pk])).content.decode()
    assert "Questioning of the recruiter" in page
    assert "Overdue" in page


def test_cases_in_two_countries_are_linked_by_number(client, investigator, kz_case, kg_case):
    login(client, investigator)
    response = client.post(reverse("justice:case_link", args=[kz_case.pk]), {
        "to_country": "KG", "to_number": "2026-KG-7", "note": "Same recruiters",
    })
    assert response.status_code == 302
    page = client.get(reverse("justice:case", args=[kz_case.pk])).content.decode()
    assert "2026-KG-7" in page


@pytest.fixture
def proceedings(kz_case, investigator, aigul_case, law_enforcement_consent):
    participant = services.participant_link(viewer=investigator, criminal_case=kz_case,
                                            case_code=aigul_case.display_code,
                                            role=ParticipantRole.VICTIM)
    services.offender_add(viewer=investigator, criminal_case=kz_case, label="Recruiter-Z",
                          roles=[OffenderRole.RECRUITER])
    services.hearing_add(viewer=investigator, criminal_case=kz_case, on=dt.date(2099, 5, 4),
                         court="Almaty City Court")
    services.compensation_record(viewer=investigator, participant=participant,
                                 route=CompensationRoute.CRIMINAL, currency="KZT",
                                 awarded=250000, awarded_on=dt.date(2026, 3, 1))
    return participant


def test_the_victims_case_worker_sees_stage_hearings_and_award_not_offenders(
    client, proceedings, case_worker, aigul_case
):
    login(client, case_worker)
    case_page = client.get(reverse("registry:case_detail",
                                   args=[aigul_case.display_code])).content.decode()
    assert reverse("justice:proceedings", args=[aigul_case.display_code]) in case_page
    page = client.get(reverse("justice:proceedings",
                              args=[aigul_case.display_code])).content.decode()
    assert "Criminal proceedings" in page
    assert "Preliminary check" in page
    assert "250000" in page.replace("\xa0", "").replace(",", "")
    assert "2099" in page
    assert "Recruiter-Z" not in page
    assert "2026-001" not in page  # not even the criminal case's number


def test_the_criminal_case_page_refuses_the_victims_case_worker(client, proceedings,
                                                                case_worker, kz_case):
    login(client, case_worker)
    assert client.get(reverse("justice:case", args=[kz_case.pk])).status_code == 404


def test_the_menu_offers_criminal_cases_to_law_enforcement_only(client, investigator,
                                                                 case_worker):
    cases = reverse("justice:cases")
    login(client, investigator)
    assert f'href="{cases}"' in client.get(reverse("registry:my_cases")).content.decode()
    client.logout()
    login(client, case_worker)
    assert f'href="{cases}"' not in client.get(reverse("registry:my_cases")).content.decode()


def test_a_victim_who_declines_to_cooperate_is_recorded_with_the_reason(client, proceedings,
                                                                        investigator, kz_case):
    login(client, investigator)
    url = reverse("justice:participant_update", args=[kz_case.pk, proceedings.pk])
    assert "Victim" in client.get(url).content.decode()
    response = client.post(url, {"role": ParticipantRole.VICTIM, "cooperation": "declined",
                                 "declined_reason": "Fears for her family"})
    assert response.status_code == 302
    proceedings.refresh_from_db()
    assert proceedings.cooperation == "declined"
    assert proceedings.declined_reason == "Fears for her family"


def test_the_answer_to_a_request_for_legal_assistance_is_recorded(client, investigator, kz_case):
    mla = services.legal_assistance_record(
        viewer=investigator, criminal_case=kz_case, requesting_country="KZ",
        requested_country="KG", subject="Bank records", sent_on=dt.date(2026, 2, 2),
        answer_due_on=dt.date(2026, 2, 3))
    login(client, investigator)
    response = client.post(reverse("justice:legal_assistance_answer", args=[kz_case.pk, mla.pk]),
                           {"answered_on": "2026-02-20", "outcome": "executed"})
    assert response.status_code == 302
    page = client.get(reverse("justice:case", args=[kz_case.pk])).content.decode()
    assert "Executed" in page and "Overdue" not in page
