"""The assistance demo, loaded by `nrm demo` after the registry's: support plans, services of
every type with their cost in KGS, KZT and USD, a return from Russia received in Bishkek and
one planned from Kazakhstan to Uzbekistan, and follow-up contacts made, due and overdue, for
cases of Umut Bishkek and Sana Sezim Almaty; and the Ak-Jol shelter's services on the cases Umut
referred to it (the referrals demo). Everything goes through this app's services, acting as each
organisation's first case worker; follow-up consent through the registry's.

Deterministic and idempotent: when a demo case already has a support plan, nothing is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from nrm.accounts.models import Membership
from nrm.accounts.roles import REGISTERING_ROLES
from nrm.accounts.viewer import Viewer
from nrm.assistance import services
from nrm.assistance.choices import (
    ASSISTANCE_SERVICE_TYPES,
    GUARDIANSHIP,
    SHELTER,
    RetraffickingRisk,
    ServiceOutcome,
    SupportPlanType,
    WellBeing,
)
from nrm.assistance.inputs import (
    ContactInput,
    FollowUpPlanInput,
    ReceptionInput,
    ReturnJourneyInput,
    ServiceInput,
    SupportPlanInput,
    TravelDocumentInput,
)
from nrm.assistance.models import FollowUp, ServiceRecord, SupportPlan
from nrm.directory.models import Organisation
from nrm.referrals.choices import SHARED_STATUSES, WORKING_STATUSES
from nrm.referrals.models import Referral
from nrm.registry.choices import CaseStatus, ConsentPurpose
from nrm.registry.demo.directory import organisation_by_key
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case, Consent
from nrm.registry.services import consent_record

DAY = dt.timedelta(days=1)
# The organisations whose cases the demo assists, and how many of each.
ASSISTING = {"kg-ngo-bishkek": 8, "kz-ngo-almaty": 4}
CURRENCY = {"KG": "KGS", "KZ": "KZT"}
# Who gives each service, by the demo directory's keys; cost in the local currency (None: free)
# unless the service is paid in US dollars by a donor.
PROVIDERS: dict[str, dict[str, tuple[str, int | None]]] = {
    "KG": {
        "shelter": ("kg-shelter", 3000), "medical": ("kg-health", 4500),
        "psychological": ("kg-shelter", 1500), "psycho_social": ("kg-ngo-bishkek", None),
        "legal_counselling": ("kg-legal", None), "legal_representation": ("kg-legal", 12000),
        "interpretation": ("kg-legal", 2000), "education": ("kg-labour-ministry", None),
        "vocational_training": ("kg-shelter", 18000),
        "employment_assistance": ("kg-labour-ministry", None),
        "in_kind_grant": ("kg-labour-ministry", 9000), "family_tracing": ("kg-aksakal", None),
        "guardianship": ("kg-labour-ministry", None),
    },
    "KZ": {
        "shelter": ("kz-shelter-astana", 9000), "medical": ("kz-shelter-astana", 30000),
        "psychological": ("kz-shelter-astana", 12000), "psycho_social": ("kz-ngo-almaty", None),
        "legal_counselling": ("kz-ngo-almaty", None), "interpretation": ("kz-ngo-almaty", 8000),
        "guardianship": ("kz-shelter-astana", None),
    },
}
# Paid in US dollars: by a donor's grant (economic support) or abroad (return, documents).
IN_DOLLARS: dict[str, tuple[str, int]] = {
    "economic_support": ("kg-ngo-bishkek", 300), "return_repatriation": ("ru-consulate-kg", 180),
    "document_recovery": ("ru-consulate-kg", 40),
}
OBJECTIVES = {
    SupportPlanType.HEALTH: ("Recover physical health after the exploitation.",
                             "Medical examination, treatment of injuries, follow-up visits."),
    SupportPlanType.LABOUR_EXPLOITATION_REHABILITATION: (
        "Safety, recovery and a livelihood after forced labour.",
        "Shelter, psychological support, vocational training, job placement."),
    SupportPlanType.SEXUAL_EXPLOITATION_REHABILITATION: (
        "Safety and recovery after sexual exploitation.",
        "Shelter, medical and psychological care, legal counselling."),
    SupportPlanType.LIVELIHOOD: ("An income of her own within a year.",
                                 "Vocational training, an in-kind grant, employment support."),
    SupportPlanType.LEGAL: ("Documents restored and the wages owed claimed.",
                            "Document recovery through the consulate; legal representation."),
    SupportPlanType.SOCIAL_CARE: ("A safe home with family.",
                                  "Family tracing and reunification, guardianship, school."),
}


@dataclass(frozen=True)
class AssistanceDemo:
    plans: int
    services: int
    returns: int
    follow_ups: int


def _first_case_worker(organisation: Organisation) -> Viewer | None:
    membership = (Membership.objects.select_related("user", "organisation")
                  .filter(organisation=organisation, role__in=list(REGISTERING_ROLES))
                  .order_by("user__username").first())
    return None if membership is None else Viewer(user=membership.user, membership=membership)


def _organisations() -> dict[str, Organisation]:
    keys = {*ASSISTING, *(p for table in PROVIDERS.values() for p, _c in table.values()),
            *(p for p, _c in IN_DOLLARS.values()), "uz-ngo-tashkent"}
    specs = {key: organisation_by_key(key) for key in keys}
    found = {o.name: o for o in Organisation.objects.filter(
        name__in=[spec.name for spec in specs.values()])}
    return {key: found[spec.name] for key, spec in specs.items() if spec.name in found}


def _cases(organisation: Organisation, count: int) -> list[Case]:
    return list(Case.objects.select_related("person", "organisation")
                .filter(organisation=organisation,
                        status__in=[CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP])
                .order_by("pk")[:count])


def _service(viewer: Viewer, case: Case, code: str, *, provider: Organisation,
             cost: int | None, currency: str, start: dt.date, ongoing: bool = False) -> None:
    end = None if ongoing else start + 14 * DAY
    nights = (end - start).days if code == "shelter" and end else None
    amount = cost if code == "economic_support" else None
    services.service_record(viewer=viewer, case=case, service=ServiceInput(
        service_type=code, provider_id=provider.pk, started_on=start, ended_on=end,
        nights=nights, amount=amount, cost=cost if code != "economic_support" else None,
        currency=currency if cost is not None else "",
        outcome=ServiceOutcome.IN_PROGRESS if ongoing else ServiceOutcome.PROVIDED))


def _services_for(viewer: Viewer, case: Case, codes: list[str],
                  organisations: dict[str, Organisation], today: dt.date) -> int:
    country = case.organisation.country
    recorded = 0
    for index, code in enumerate(codes):
        cost: int | None
        if code in IN_DOLLARS:
            key, cost = IN_DOLLARS[code]
            currency = "USD"
        elif code in PROVIDERS[country]:
            key, cost = PROVIDERS[country][code]
            currency = CURRENCY[country]
        else:
            continue
        provider = organisations.get(key)
        if provider is None:
            continue
        start = max(case.opened_on, today - 60 * DAY) + index * 3 * DAY
        _service(viewer, case, code, provider=provider, cost=cost, currency=currency,
                 start=min(start, today - 15 * DAY), ongoing=index == len(codes) - 1)
        recorded += 1
    return recorded


def _follow_up_consent(viewer: Viewer, case: Case) -> bool:
    """Record consent to follow-up unless the person refused it (their refusal stands)."""
    latest = (Consent.objects.filter(person=case.person, purpose=ConsentPurpose.FOLLOW_UP)
              .order_by("-recorded_at", "-pk").first())
    if latest is not None:
        return latest.in_force
    consent_record(viewer=viewer, person=case.person, consent=ConsentInput(
        purpose=ConsentPurpose.FOLLOW_UP, given=True, method="written"))
    return True


def _follow_ups(viewer: Viewer, case: Case, index: int, today: dt.date) -> int:
    if not _follow_up_consent(viewer, case):
        return 0
    done_on = max(case.opened_on, today - 30 * DAY)
    if index % 4 == 1:
        # Not reached: the next contact is planned for tomorrow, as the rules require.
        services.follow_up_contact(viewer=viewer, case=case, contact=ContactInput(
            done_on=done_on, mode="phone", reached=False,
            notes="The phone was switched off; the landlord had not seen her for a week."),
            next_contact_on=today + DAY)
        return 2
    services.follow_up_contact(viewer=viewer, case=case, contact=ContactInput(
        done_on=done_on, mode="home_visit", reached=True,
        well_being=WellBeing.STABLE if index % 2 else WellBeing.WELL,
        risk=RetraffickingRisk.MEDIUM if index % 3 == 0 else RetraffickingRisk.LOW,
        notes="Living with her family; attends the training course."))
    planned = services.follow_up_schedule(viewer=viewer, case=case, plan=FollowUpPlanInput(
        planned_on=today + (index % 5) * DAY, mode="phone"))
    if index % 4 == 2:
        # A contact planned earlier and missed: the services plan nothing in the past, so the
        # demo moves its date back as the passing days would have.
        FollowUp.objects.filter(pk=planned.pk).update(planned_on=today - 3 * DAY)
    return 2


def _returns(kg_viewer: Viewer, kz_viewer: Viewer | None, *, kg_case: Case,
             kz_case: Case | None, organisations: dict[str, Organisation],
             today: dt.date) -> int:
    travelled = max(kg_case.opened_on, today - 40 * DAY)
    journey = services.return_journey_record(viewer=kg_viewer, case=kg_case, journey=(
        ReturnJourneyInput(
            from_country="RU", to_country="KG", travel_on=travelled,
            travel_documents=[TravelDocumentInput("certificate_of_return", "handed_over")],
            escort="consular", escort_details="Consular officer, Yekaterinburg",
            receiving_organisation_id=kg_case.organisation_id)))
    services.return_reception_record(viewer=kg_viewer, journey=journey, reception=ReceptionInput(
        arrived_on=travelled, received_by="Duty social worker, Manas airport",
        notes="Met at arrivals; taken to the shelter in Kant the same evening."))
    if kz_viewer is None or kz_case is None or "uz-ngo-tashkent" not in organisations:
        return 1
    services.return_journey_record(viewer=kz_viewer, case=kz_case, journey=ReturnJourneyInput(
        from_country="KZ", to_country="UZ", travel_on=today + 10 * DAY,
        travel_documents=[TravelDocumentInput("passport", "applied"),
                          TravelDocumentInput("exit_permit", "needed")],
        escort="social_worker", escort_details="Sana Sezim staff to the border",
        receiving_organisation_id=organisations["uz-ngo-tashkent"].pk))
    return 2


@transaction.atomic
def demo_load(*, seed: int, stdout: OutputWrapper | None = None) -> AssistanceDemo:
    """Assist the demo's cases of Umut Bishkek and Sana Sezim once; a second run finds the
    plans and adds nothing. The assistance is the same for every seed: it is a story."""
    del seed
    organisations = _organisations()
    if not all(key in organisations for key in ASSISTING):
        return AssistanceDemo(0, 0, 0, 0)
    cases = {key: _cases(organisations[key], count) for key, count in ASSISTING.items()}
    everyone = [case for group in cases.values() for case in group]
    if not everyone or SupportPlan.objects.filter(case__in=everyone).exists():
        return AssistanceDemo(0, 0, 0, 0)
    viewers = {key: _first_case_worker(organisations[key]) for key in ASSISTING}
    today = timezone.localdate()
    plan_types = list(OBJECTIVES)
    plans = recorded = follow_ups = 0
    # Every service of the taxonomy at least once, spread over the cases.
    kg_codes = [code for code in ASSISTANCE_SERVICE_TYPES if code != GUARDIANSHIP]
    for key, group in cases.items():
        viewer = viewers[key]
        if viewer is None or not group:
            continue
        for index, case in enumerate(group):
            plan_type = plan_types[(index + len(key)) % len(plan_types)]
            objectives, actions = OBJECTIVES[plan_type]
            services.support_plan_create(viewer=viewer, case=case, plan=SupportPlanInput(
                plan_type=plan_type, objectives=objectives, action_plan=actions,
                started_on=max(case.opened_on, today - 60 * DAY),
                planned_end_on=today + 120 * DAY))
            plans += 1
            codes = (kg_codes[index * 3 % len(kg_codes):][:5] if key.startswith("kg")
                     else [c for c in PROVIDERS["KZ"] if c != GUARDIANSHIP][index % 3:][:4])
            if index == 0:
                codes = ["shelter", "medical", "psychological", "vocational_training"]
            recorded += _services_for(viewer, case, codes, organisations, today)
            follow_ups += _follow_ups(viewer, case, index, today)
        if key.startswith("kg"):
            recorded += _services_for(viewer, group[-1], [c for c in kg_codes
                                                          if c not in _given(group)],
                                      organisations, today)
        recorded += _guardianship(viewer, organisations, group, today)
    kz_group = cases.get("kz-ngo-almaty") or []
    kg_viewer = viewers["kg-ngo-bishkek"]
    returns = 0
    if kg_viewer is not None and cases["kg-ngo-bishkek"]:
        returns = _returns(kg_viewer, viewers["kz-ngo-almaty"],
                           kg_case=cases["kg-ngo-bishkek"][0],
                           kz_case=kz_group[-1] if kz_group else None,
                           organisations=organisations, today=today)
    recorded += _referred_services(organisations, kg_viewer, today)
    if stdout is not None:
        stdout.write(f"Assistance demo: {plans} support plans, {recorded} services, "
                     f"{returns} return journeys, {follow_ups} follow-up contacts.")
    return AssistanceDemo(plans, recorded, returns, follow_ups)


def _given(group: list[Case]) -> set[str]:
    return set(ServiceRecord.objects.filter(case__in=group)
               .values_list("service_type", flat=True))


def _guardianship(viewer: Viewer, organisations: dict[str, Organisation], group: list[Case],
                  today: dt.date) -> int:
    """Guardianship for a child among the organisation's cases, when it has one."""
    child = (Case.objects.select_related("person", "organisation")
             .filter(organisation_id=viewer.organisation_id,
                     status__in=[CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP],
                     person__birth_year__gte=today.year - 16)
             .order_by("pk").first())
    country = viewer.membership.organisation.country
    provider = organisations.get(PROVIDERS[country][GUARDIANSHIP][0])
    if child is None or provider is None:
        return 0
    if child not in group:
        plan_type = SupportPlanType.SOCIAL_CARE
        objectives, actions = OBJECTIVES[plan_type]
        services.support_plan_create(viewer=viewer, case=child, plan=SupportPlanInput(
            plan_type=plan_type, objectives=objectives, action_plan=actions,
            started_on=max(child.opened_on, today - 30 * DAY)))
    _service(viewer, child, GUARDIANSHIP, provider=provider, cost=None, currency="",
             start=max(child.opened_on, today - 20 * DAY), ongoing=True)
    return 1


def _referred_services(organisations: dict[str, Organisation], referrer: Viewer | None,
                       today: dt.date) -> int:
    """The Ak-Jol shelter records, on the cases Umut referred to it (the referrals demo), the
    services it gives while it works on them; for a referral already completed, Umut records
    them against the referral as the shelter reported them."""
    shelter = organisations.get("kg-shelter")
    shelter_worker = _first_case_worker(shelter) if shelter is not None else None
    if shelter is None or shelter_worker is None or referrer is None:
        return 0
    referrals = (Referral.objects.select_related("case__person", "case__organisation")
                 .filter(to_organisation=shelter, from_organisation_id=referrer.organisation_id,
                         case__isnull=False, status__in=SHARED_STATUSES).order_by("pk"))
    recorded = 0
    for referral in referrals:
        case = referral.case
        assert case is not None  # noqa: S101 (filtered above)
        working = referral.status in WORKING_STATUSES
        viewer = shelter_worker if working else referrer
        start = min(max(referral.sent_at.date(), case.opened_on), today - DAY)
        end = None if working else min(start + 20 * DAY, today)
        for code in referral.services_requested:
            if code not in PROVIDERS["KG"]:
                continue
            nights = ((end or today) - start).days if code == SHELTER else None
            cost = PROVIDERS["KG"][code][1]
            services.service_record(viewer=viewer, case=case, service=ServiceInput(
                service_type=code, provider_id=shelter.pk, started_on=start, ended_on=end,
                nights=nights or None, cost=cost * (nights or 1) if cost else None,
                currency="KGS" if cost else "",
                outcome=ServiceOutcome.IN_PROGRESS if end is None else ServiceOutcome.PROVIDED,
                referral_id=referral.pk))
            recorded += 1
    return recorded
