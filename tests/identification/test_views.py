"""The identification screens as a police first responder and a commission's decision maker use
them: screen, see the result explained, refer, decide, appeal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from nrm.identification import services
from nrm.identification.choices import (
    AppealOutcome,
    DecisionRequestStatus,
    ScreeningResult,
    ScreeningStatus,
    VictimStatus,
)
from nrm.identification.models import Screening, StatusDecision
from tests.conftest import login, register

YES_TO_ACT_MEANS_PURPOSE = {
    "answer:test.act.recruited": "yes", "note:test.act.recruited": "Recruited in Osh",
    "answer:test.means.debt": "yes", "note:test.means.debt": "A debt for the journey",
    "answer:test.purpose.forced_labour": "yes",
    "answer:test.means.deception": "unknown",
}


@pytest.fixture
def police_case(police_officer):
    return register(police_officer, given="Бакыт", family="Осмонов", birth_date="1990-05-01")


@pytest.fixture
def screening(police_officer, police_case, catalogue) -> Screening:
    return services.screening_start(viewer=police_officer, case=police_case)


@pytest.fixture
def completed(police_officer, screening) -> Screening:
    services.screening_answer(viewer=police_officer, screening=screening, answers={
        "test.act.recruited": ("yes", ""), "test.means.debt": ("yes", ""),
        "test.purpose.forced_labour": ("yes", "")})
    return services.screening_complete(viewer=police_officer, screening=screening,
                                       judgement=ScreeningResult.REASONABLE_GROUNDS,
                                       judgement_note="Clear story")


@pytest.fixture
def referred(police_officer, police_case, commission, completed):
    return services.decision_request(viewer=police_officer, case=police_case,
                                     competent_authority=commission)


@pytest.fixture
def refused(decision_maker, police_case, referred) -> StatusDecision:
    return services.status_decide(viewer=decision_maker, case=police_case,
                                  status=VictimStatus.NOT_A_VICTIM,
                                  decided_on=timezone.localdate(), reasons="No purpose shown",
                                  legal_basis="Law on trafficking, art. 1")


def case_url(case, name="case"):
    return reverse(f"identification:{name}", args=[case.display_code])


def test_first_responder_starts_a_screening_from_the_case(client, police_officer, police_case,
                                                          catalogue):
    login(client, police_officer)
    page = client.get(case_url(police_case))
    assert page.status_code == 200
    assert case_url(police_case, "screening_start") in page.content.decode()
    response = client.post(case_url(police_case, "screening_start"), {
        "language": "ky", "indicator_set": "adult_labour", "age_at_recruitment": "30"})
    screening = Screening.objects.get(case=police_case)
    assert response.url == reverse("identification:screening", args=[screening.pk])
    assert (screening.language, screening.indicator_set) == ("ky", "adult_labour")


def test_interview_asks_the_chosen_set_grouped_by_element(client, police_officer, police_case,
                                                          catalogue):
    screening = services.screening_start(viewer=police_officer, case=police_case,
                                         indicator_set="adult_labour")
    login(client, police_officer)
    page = client.get(reverse("identification:screening", args=[screening.pk])).content.decode()
    assert "Confiscation of documents" in page  # the adult labour set
    assert "Forced begging" not in page  # the child labour set
    assert "Asked in Kazakhstan only" not in page
    assert "Palermo Protocol elements: Means" in page
    assert page.count('value="unknown"') == 7


def test_each_change_is_saved_by_htmx_and_reported(client, police_officer, screening):
    login(client, police_officer)
    response = client.post(reverse("identification:screening", args=[screening.pk]),
                           YES_TO_ACT_MEANS_PURPOSE, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "4 of 6 answered" in response.content.decode()
    answers = {a.indicator.code: (a.answer, a.note) for a in screening.answers.all()}
    assert answers["test.means.debt"] == ("yes", "A debt for the journey")
    assert answers["test.means.deception"] == ("unknown", "")
    # Opened again (another phone, a reload), the interview shows what was saved.
    page = client.get(reverse("identification:screening", args=[screening.pk])).content.decode()
    assert "A debt for the journey" in page


def test_without_javascript_save_and_complete_leads_to_the_judgement(client, police_officer,
                                                                     screening):
    login(client, police_officer)
    response = client.post(reverse("identification:screening", args=[screening.pk]),
                           {**YES_TO_ACT_MEANS_PURPOSE, "complete": ""})
    assert response.url == reverse("identification:screening_complete", args=[screening.pk])
    page = client.get(response.url).content.decode()
    assert "Reasonable grounds to presume trafficking" in page
    assert "test.means.debt" in page  # the answer behind Means


def test_completing_keeps_the_computed_result_and_the_judgement(client, police_officer,
                                                                screening):
    services.screening_answer(viewer=police_officer, screening=screening, answers={
        "test.act.recruited": ("yes", ""), "test.purpose.forced_labour": ("yes", ""),
        "test.means.debt": ("no", ""), "test.means.deception": ("no", "")})
    login(client, police_officer)
    response = client.post(reverse("identification:screening_complete", args=[screening.pk]), {
        "judgement": ScreeningResult.MORE_INFORMATION, "judgement_note": "She may fear to say"})
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.status == ScreeningStatus.COMPLETED
    assert screening.computed_result == ScreeningResult.INSUFFICIENT
    assert screening.judgement == ScreeningResult.MORE_INFORMATION
    page = client.get(response.url).content.decode()
    assert "Insufficient indicators" in page
    assert "More information needed" in page
    assert "She may fear to say" in page
    assert "not met" in page


def test_judgement_is_required(client, police_officer, screening):
    login(client, police_officer)
    response = client.post(reverse("identification:screening_complete", args=[screening.pk]),
                           {"judgement": ""})
    assert response.status_code == 200
    screening.refresh_from_db()
    assert screening.status == ScreeningStatus.IN_PROGRESS


@pytest.mark.usefixtures("completed")
def test_first_responder_refers_to_a_competent_authority(client, police_officer, police_case,
                                                         commission, safe_home):
    login(client, police_officer)
    form_page = client.get(case_url(police_case, "decision_request")).content.decode()
    assert commission.name in form_page
    assert safe_home.name not in form_page  # not a competent authority
    response = client.post(case_url(police_case, "decision_request"),
                           {"competent_authority": commission.pk, "note": "Urgent"})
    assert response.status_code == 302
    request = police_case.decision_requests.get()
    assert request.competent_authority == commission
    assert request.status == DecisionRequestStatus.PENDING


def test_decision_maker_sees_the_request_and_decides_presumed_victim(
        client, decision_maker, police_case, referred, completed):
    login(client, decision_maker)
    inbox = client.get(reverse("identification:inbox")).content.decode()
    assert police_case.display_code in inbox
    page = client.get(case_url(police_case)).content.decode()
    assert case_url(police_case, "status_decide") in page
    assert "Бакыт" not in page  # never the identity
    today = timezone.localdate()
    response = client.post(case_url(police_case, "status_decide"), {
        "status": VictimStatus.PRESUMED, "decided_on": today.isoformat(),
        "reasons": "Act, means and purpose shown", "legal_basis": "Law on trafficking, art. 12",
        "screenings": [completed.pk]})
    assert response.status_code == 302
    decision = StatusDecision.objects.get(case=police_case)
    assert decision.recovery_period_ends is not None
    assert list(decision.screenings.all()) == [completed]
    referred.refresh_from_db()
    assert referred.status == DecisionRequestStatus.DECIDED
    page = client.get(case_url(police_case)).content.decode()
    assert "Recovery and reflection period ends" in page


def test_overdue_requests_stand_out_in_the_inbox(client, decision_maker, referred):
    referred.due_on = timezone.localdate() - dt.timedelta(days=1)
    referred.save(update_fields=["due_on"])
    login(client, decision_maker)
    inbox = client.get(reverse("identification:inbox")).content.decode()
    assert 'class="overdue"' in inbox and "Overdue" in inbox


def test_negative_decision_is_appealed_and_overturned_and_both_stay(
        client, police_officer, decision_maker, police_case, refused):
    login(client, police_officer)
    page = client.get(case_url(police_case)).content.decode()
    appeal_url = reverse("identification:appeal_lodge", args=[police_case.display_code,
                                                               refused.pk])
    assert appeal_url in page
    response = client.post(appeal_url, {
        "lodged_on": timezone.localdate().isoformat(), "body": "Bishkek District Court",
        "grounds": "The debt bondage was not considered", "representative": "Lawyer A."})
    assert response.status_code == 302
    appeal = refused.appeals.get()

    login(client, decision_maker)
    outcome_url = reverse("identification:appeal_decide", args=[police_case.display_code,
                                                                appeal.pk])
    assert outcome_url in client.get(case_url(police_case)).content.decode()
    missing = client.post(outcome_url, {"outcome": AppealOutcome.OVERTURNED,
                                        "outcome_on": timezone.localdate().isoformat()})
    assert missing.status_code == 200  # an overturned decision needs its new decision
    response = client.post(outcome_url, {
        "outcome": AppealOutcome.OVERTURNED, "outcome_on": timezone.localdate().isoformat(),
        "new_status": VictimStatus.PRESUMED, "reasons": "Debt bondage is a means",
        "legal_basis": "Court ruling"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.outcome == AppealOutcome.OVERTURNED
    page = client.get(case_url(police_case)).content.decode()
    assert "Not a victim" in page and "Presumed victim (reasonable grounds)" in page
    assert "Recovery and reflection period ends" in page


def test_positive_decision_cannot_be_appealed(client, police_officer, decision_maker,
                                              police_case, referred):
    decision = services.status_decide(
        viewer=decision_maker, case=police_case, status=VictimStatus.PRESUMED,
        decided_on=timezone.localdate(), reasons="r", legal_basis="l")
    login(client, police_officer)
    response = client.get(reverse("identification:appeal_lodge",
                                  args=[police_case.display_code, decision.pk]))
    assert response.status_code == 403


def test_what_is_due_lists_screenings_in_progress(client, police_officer, police_case,
                                                  screening):
    login(client, police_officer)
    home = client.get(case_url(police_case)).content.decode()
    assert reverse("identification:due") in home  # linked from the menu
    page = client.get(reverse("identification:due")).content.decode()
    assert "Screenings in progress" in page
    assert police_case.display_code in page


def test_registry_case_page_links_to_identification(client, police_officer, police_case):
    login(client, police_officer)
    page = client.get(reverse("registry:case_detail", args=[police_case.display_code]))
    assert case_url(police_case) in page.content.decode()


def test_interview_shows_the_question_in_the_person_s_language_too(client, police_officer,
                                                                   police_case, catalogue):
    indicator = catalogue.indicators.get(code="test.means.debt")
    indicator.texts = {"en": "Is there a debt?", "ky": "Карызы барбы?"}
    indicator.save(update_fields=["texts"])
    screening = services.screening_start(viewer=police_officer, case=police_case,
                                         language="ky")
    login(client, police_officer)
    page = client.get(reverse("identification:screening", args=[screening.pk])).content.decode()
    assert "Is there a debt?" in page
    assert '<p class="spoken muted" lang="ky">Карызы барбы?</p>' in page
