"""The receiving organisation's scope: Safe Home refers Айгуль to the Ak-Jol shelter. Once the
shelter accepts, it records the services it gives on her case and sees her support plans and
its own records — not Safe Home's records, her return or her follow-up; Safe Home sees every
record, whoever made it, and the progress of each referral. When the referral is completed the
shelter keeps reading what it recorded and changes nothing; when it is cancelled the shelter sees
nothing more. A third organisation sees nothing at any time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from nrm.assistance import services
from nrm.assistance.access import require_access
from nrm.assistance.inputs import (
    FollowUpPlanInput,
    ReceptionInput,
    ReturnJourneyInput,
    ServiceInput,
    SupportPlanInput,
    service_input_from,
)
from nrm.assistance.models import ServiceRecord, SupportPlan
from nrm.assistance.selectors import assistance_for_case
from nrm.directory.models import ServiceType
from nrm.referrals.services import (
    referral_cancel,
    referral_complete,
    referral_decline,
    referral_start,
)
from tests.assistance.conftest import refer_to
from tests.conftest import login

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def shelter_nights(provider, today, **changes) -> ServiceInput:
    values = {"service_type": "shelter", "provider_id": provider.pk,
              "started_on": today - 10 * DAY, "ended_on": today - DAY, "nights": 9,
              "outcome": "provided", "cost": "27000", "currency": "KGS",
              "note": "Room 4, with her daughter"}
    values.update(changes)
    return ServiceInput(**values)


@pytest.fixture
def safe_home_assists(case_worker, opened_case, health_centre, follow_up_consent, today):
    """What Safe Home itself records: a plan, a psychological service with a private note, a
    follow-up contact and a return received by the health centre."""
    plan = services.support_plan_create(viewer=case_worker, case=opened_case,
                                        plan=SupportPlanInput(plan_type="Health",
                                                              objectives="Heal and rest"))
    record = services.service_record(viewer=case_worker, case=opened_case, service=ServiceInput(
        service_type="psychological", provider_id=health_centre.pk,
        started_on=today - 5 * DAY, note="Nightmares about the foreman"))
    services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                plan=FollowUpPlanInput(planned_on=today + 30 * DAY))
    services.return_journey_record(viewer=case_worker, case=opened_case,
                                   journey=ReturnJourneyInput(
                                       from_country="RU", to_country="KG",
                                       travel_on=today - 20 * DAY,
                                       receiving_organisation_id=health_centre.pk))
    return {"plan": plan, "record": record}


def test_before_acceptance_the_shelter_sees_and_records_nothing(case_worker, opened_case,
                                                               shelter, shelter_worker, today,
                                                               client):
    refer_to(case_worker, opened_case, shelter)
    with pytest.raises(Http404):
        services.service_record(viewer=shelter_worker, case=opened_case,
                                service=shelter_nights(shelter, today))
    login(client, shelter_worker)
    assert client.get(reverse("assistance:case",
                              args=[opened_case.display_code])).status_code == 404


def test_a_declined_referral_gives_nothing(case_worker, opened_case, shelter, shelter_worker,
                                           today):
    referral_decline(viewer=shelter_worker, referral=refer_to(case_worker, opened_case, shelter),
                     reason="No free places for a mother with a child.")
    with pytest.raises(Http404):
        require_access(viewer=shelter_worker, case=opened_case)


def test_the_shelter_records_its_services_on_the_referred_case(referral, shelter_worker,
                                                               opened_case, shelter, today):
    record = services.service_record(viewer=shelter_worker, case=opened_case,
                                     service=shelter_nights(shelter, today))
    assert record.referral == referral
    assert record.recorded_for == shelter
    referral_start(viewer=shelter_worker, referral=referral)
    medical = services.service_record(viewer=shelter_worker, case=opened_case,
                                      service=ServiceInput(service_type="medical",
                                                           provider_id=shelter.pk,
                                                           started_on=today - 2 * DAY))
    assert medical.referral == referral
    services.service_update(viewer=shelter_worker, record=medical, service=service_input_from(
        medical, ended_on=today, outcome="provided", cost="3500", currency="KGS"))
    medical.refresh_from_db()
    assert medical.cost == 3500


def test_the_shelter_records_only_what_it_gives_itself(referral, shelter_worker, opened_case,
                                                       health_centre, today):
    with pytest.raises(ValidationError) as raised:
        services.service_record(viewer=shelter_worker, case=opened_case,
                                service=shelter_nights(health_centre, today))
    assert "your own organisation" in raised.value.message_dict["provider_id"][0]


def test_the_shelter_sees_the_plans_and_its_own_records_only(referral, shelter_worker,
                                                             opened_case, shelter, today,
                                                             safe_home_assists):
    own = services.service_record(viewer=shelter_worker, case=opened_case,
                                  service=shelter_nights(shelter, today))
    overview = assistance_for_case(access=require_access(viewer=shelter_worker,
                                                         case=opened_case))
    assert [plan.pk for plan in overview.plans] == [safe_home_assists["plan"].pk]
    assert [record.pk for record in overview.services] == [own.pk]
    assert overview.journeys == [] and overview.follow_ups == []
    assert overview.follow_up_consent is None
    assert [row.referral.pk for row in overview.referrals] == [referral.pk]


def test_the_shelter_cannot_change_what_it_was_not_given(referral, shelter_worker, opened_case,
                                                          shelter, today, safe_home_assists):
    from nrm.assistance.selectors import service_record_for_viewer

    access = require_access(viewer=shelter_worker, case=opened_case)
    with pytest.raises(Http404):
        service_record_for_viewer(access=access, pk=safe_home_assists["record"].pk)
    with pytest.raises(PermissionDenied):
        services.service_update(viewer=shelter_worker, record=safe_home_assists["record"],
                                service=service_input_from(safe_home_assists["record"],
                                                           note="changed"))
    with pytest.raises(PermissionDenied):
        services.support_plan_create(viewer=shelter_worker, case=opened_case,
                                     plan=SupportPlanInput(plan_type="Legal", objectives="x"))
    with pytest.raises(PermissionDenied):
        services.support_plan_update(viewer=shelter_worker, plan=safe_home_assists["plan"],
                                     changes=SupportPlanInput(plan_type="Health",
                                                              objectives="changed"))
    with pytest.raises(PermissionDenied):
        services.return_journey_record(viewer=shelter_worker, case=opened_case,
                                       journey=ReturnJourneyInput(from_country="RU",
                                                                  to_country="KG",
                                                                  travel_on=today))
    with pytest.raises(PermissionDenied):
        services.follow_up_schedule(viewer=shelter_worker, case=opened_case,
                                    plan=FollowUpPlanInput(planned_on=today))
    safe_home_assists["record"].refresh_from_db()
    assert safe_home_assists["record"].note == "Nightmares about the foreman"
    assert SupportPlan.objects.get().objectives == "Heal and rest"


def test_safe_home_sees_every_record_and_the_progress_of_the_referral(
    referral, case_worker, shelter_worker, opened_case, shelter, today, safe_home_assists
):
    services.service_record(viewer=shelter_worker, case=opened_case,
                            service=shelter_nights(shelter, today))
    overview = assistance_for_case(access=require_access(viewer=case_worker, case=opened_case))
    assert {record.recorded_for_id for record in overview.services} == {
        case_worker.organisation_id, shelter.pk}
    progress = {row.referral.pk: row.totals for row in overview.referrals}
    assert progress[referral.pk].nights == 9
    assert progress[referral.pk].cost_by_currency == (("KGS", 27000),)


def test_safe_home_links_a_service_it_records_to_an_accepted_referral_only(
    referral, case_worker, opened_case, shelter, shelter_worker, health_centre, today
):
    record = services.service_record(viewer=case_worker, case=opened_case,
                                     service=shelter_nights(shelter, today,
                                                            referral_id=referral.pk))
    assert record.referral == referral
    health_centre.services.set([ServiceType.objects.get_or_create(code="medical")[0]])
    unanswered = refer_to(case_worker, opened_case, health_centre, services=("medical",))
    with pytest.raises(ValidationError) as raised:
        services.service_record(viewer=case_worker, case=opened_case,
                                service=shelter_nights(shelter, today,
                                                       referral_id=unanswered.pk))
    assert "referral_id" in raised.value.message_dict


def test_after_completion_the_shelter_reads_its_records_and_changes_nothing(
    referral, shelter_worker, opened_case, shelter, today, client
):
    record = services.service_record(viewer=shelter_worker, case=opened_case,
                                     service=shelter_nights(shelter, today))
    referral_start(viewer=shelter_worker, referral=referral)
    referral_complete(viewer=shelter_worker, referral=referral, note="Moved to her sister's.")
    access = require_access(viewer=shelter_worker, case=opened_case)
    assert not access.records_services
    assert [r.pk for r in assistance_for_case(access=access).services] == [record.pk]
    with pytest.raises(PermissionDenied):
        services.service_record(viewer=shelter_worker, case=opened_case,
                                service=shelter_nights(shelter, today))
    with pytest.raises(PermissionDenied):
        services.service_update(viewer=shelter_worker, record=record,
                                service=service_input_from(record, nights=8))
    login(client, shelter_worker)
    page = client.get(reverse("assistance:case", args=[opened_case.display_code]))
    assert page.status_code == 200
    assert "The referral is completed" in page.content.decode()
    assert client.get(reverse("assistance:service_add",
                              args=[opened_case.display_code])).status_code == 403
    assert ServiceRecord.objects.count() == 1


def test_after_cancellation_the_shelter_sees_nothing(referral, case_worker, shelter_worker,
                                                     opened_case, shelter, today, client):
    services.service_record(viewer=shelter_worker, case=opened_case,
                            service=shelter_nights(shelter, today))
    referral_cancel(viewer=case_worker, referral=referral, reason="She went home to Osh.")
    with pytest.raises(Http404):
        require_access(viewer=shelter_worker, case=opened_case)
    login(client, shelter_worker)
    assert client.get(reverse("assistance:case",
                              args=[opened_case.display_code])).status_code == 404


def test_the_receiving_partner_records_the_reception_of_a_return_it_receives(
    referral, case_worker, shelter_worker, opened_case, shelter, health_centre, today
):
    received_here = services.return_journey_record(
        viewer=case_worker, case=opened_case,
        journey=ReturnJourneyInput(from_country="RU", to_country="KG", travel_on=today - DAY,
                                   receiving_organisation_id=shelter.pk))
    elsewhere = services.return_journey_record(
        viewer=case_worker, case=opened_case,
        journey=ReturnJourneyInput(from_country="KZ", to_country="KG", travel_on=today - DAY,
                                   receiving_organisation_id=health_centre.pk))
    overview = assistance_for_case(access=require_access(viewer=shelter_worker,
                                                         case=opened_case))
    assert [journey.pk for journey in overview.journeys] == [received_here.pk]
    services.return_reception_record(viewer=shelter_worker, journey=received_here,
                                     reception=ReceptionInput(arrived_on=today,
                                                              received_by="Night warden"))
    received_here.refresh_from_db()
    assert received_here.status == "arrived"
    assert received_here.reception_recorded_for == shelter
    with pytest.raises(PermissionDenied):
        services.return_reception_record(viewer=shelter_worker, journey=elsewhere,
                                         reception=ReceptionInput(arrived_on=today))
    with pytest.raises(PermissionDenied):
        services.return_journey_cancel(viewer=shelter_worker, journey=received_here,
                                       reason="x")


PAGES_OF_THE_OWNER = ["plan_add", "return_add", "follow_up_add", "contact_add"]


@pytest.mark.parametrize("page", PAGES_OF_THE_OWNER)
def test_the_shelter_gets_403_for_what_only_the_case_organisation_does(client, referral,
                                                                       shelter_worker,
                                                                       opened_case, page):
    login(client, shelter_worker)
    url = reverse(f"assistance:{page}", args=[opened_case.display_code])
    assert client.get(url).status_code == 403
    assert client.post(url, {"plan_type": "Legal", "objectives": "x"}).status_code == 403


def test_the_shelter_records_through_its_pages_and_safe_home_sees_it(
    client, referral, shelter_worker, case_worker, outsider, opened_case, shelter, today,
    safe_home_assists
):
    login(client, shelter_worker)
    case_url = reverse("assistance:case", args=[opened_case.display_code])
    form = client.get(reverse("assistance:service_add", args=[opened_case.display_code]))
    assert 'name="referral"' not in form.content.decode()
    response = client.post(reverse("assistance:service_add", args=[opened_case.display_code]), {
        "service_type": "shelter", "provider": shelter.pk, "started_on": today - 6 * DAY,
        "ended_on": today - DAY, "outcome": "provided", "nights": 5, "cost": "15000",
        "currency": "KGS"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(case_url).content.decode()
    assert "Heal and rest" in page and referral.display_code in page
    assert "Nightmares about the foreman" not in page
    assert 'id="follow-up"' not in page and 'id="return"' not in page
    # The referral page leads the shelter to the services it gives.
    referral_page = client.get(reverse("referrals:referral", args=[referral.display_code]))
    assert case_url in referral_page.content.decode()

    login(client, case_worker)
    page = client.get(case_url).content.decode()
    assert "recorded by Ak-Jol Shelter Kant" in page
    assert 'id="referrals"' in page and "15000.00 KGS" in page

    login(client, outsider)
    assert client.get(case_url).status_code == 404
