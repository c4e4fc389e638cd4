"""The identification demo, loaded by `nrm demo` after the registry's: screenings of the demo's
Kyrgyz and Kazakh cases, referrals, status decisions and two appeals, all through this app's
services and acting as the demo's users, so that the figures have something to show.

Deterministic (seeded) and idempotent: when a demo case already has a screening, nothing is added.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from nrm.accounts.models import Membership
from nrm.accounts.roles import REGISTERING_ROLES, Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation
from nrm.identification import logic
from nrm.identification.choices import Answer, AppealOutcome, ScreeningResult, VictimStatus
from nrm.identification.models import Screening, StatusDecision
from nrm.identification.selectors import indicators_for_screening
from nrm.identification.services import (
    appeal_decide,
    appeal_lodge,
    decision_request,
    screening_answer,
    screening_complete,
    screening_is_child,
    screening_start,
    status_decide,
)
from nrm.registry.demo.directory import ORGANISATIONS, DemoLogin
from nrm.registry.demo.loader import demo_accounts
from nrm.registry.models import Case

COUNTRIES = ("KG", "KZ")
# The Kazakh commission has no decision maker among the registry's logins.
LOGINS = (
    DemoLogin("decision.kz", "kz-commission", Role.DECISION_MAKER, "Zhanar", "Bekova"),
)
DECIDERS = {"KG": "decision.kg", "KZ": "decision.kz"}
LEGAL_BASIS = {
    "KG": "Law of the Kyrgyz Republic on Combating Trafficking in Persons, art. 17",
    "KZ": "Rules for identifying victims of trafficking in persons (Kazakhstan), para. 5",
}
APPEAL_BODY = {"KG": "Pervomaisky District Court of Bishkek",
               "KZ": "Specialised Inter-District Administrative Court of Astana"}


@dataclass(frozen=True)
class IdentificationDemo:
    screenings: int
    decisions: int
    appeals: int


def _screeners(cases: list[Case]) -> dict[int, Viewer]:
    """One registering member of each organisation holding the cases, the first by username."""
    memberships = (Membership.objects.select_related("user", "organisation")
                   .filter(organisation_id__in={case.organisation_id for case in cases},
                           role__in=list(REGISTERING_ROLES), organisation__is_first_responder=True)
                   .order_by("user__username"))
    screeners: dict[int, Viewer] = {}
    for membership in memberships:
        screeners.setdefault(membership.organisation_id,
                             Viewer(user=membership.user, membership=membership))
    return screeners


def _answers(rng: random.Random, screening: Screening, strength: float) -> dict[str, str]:
    codes = list(indicators_for_screening(screening=screening).values_list("code", flat=True))
    answers: dict[str, str] = {}
    for code in codes:
        draw = rng.random()
        if draw < strength:
            answers[code] = Answer.YES
        elif draw < strength + 0.15:
            answers[code] = Answer.UNKNOWN
        else:
            answers[code] = Answer.NO
    return answers


def _screen(rng: random.Random, viewer: Viewer, case: Case) -> Screening:
    screening = screening_start(viewer=viewer, case=case, language="ru")
    # Most persons referred to an NGO show strong indicators; some show few.
    strength = rng.choice((0.75, 0.75, 0.6, 0.3, 0.05))
    answers = _answers(rng, screening, strength)
    screening_answer(viewer=viewer, screening=screening,
                     answers={code: (answer, "") for code, answer in answers.items()})
    given = {indicator: answers[indicator.code]
             for indicator in indicators_for_screening(screening=screening)}
    computed = str(logic.assess(answers=list(given.items()),
                                child=screening_is_child(screening)).result)
    return screening_complete(viewer=viewer, screening=screening, judgement=computed,
                              judgement_note="")


def _decide(rng: random.Random, screening: Screening, *, screener: Viewer, decider: Viewer,
            authority: Organisation, country: str) -> list[StatusDecision]:
    case = screening.case
    result = screening.computed_result
    if result == ScreeningResult.MORE_INFORMATION or (
            result == ScreeningResult.INSUFFICIENT and rng.random() < 0.4):
        return []
    request = decision_request(viewer=screener, case=case, competent_authority=authority,
                               note="Screened by the first responder; referred for a decision.")
    today = timezone.localdate()
    basis = LEGAL_BASIS[country]
    if result == ScreeningResult.INSUFFICIENT:
        return [status_decide(
            viewer=decider, case=case, status=VictimStatus.NOT_A_VICTIM, decided_on=today,
            reasons="The interview showed no act, means or purpose of trafficking.",
            legal_basis=basis, screening_ids=[screening.pk], request=request)]
    decisions = [status_decide(
        viewer=decider, case=case, status=VictimStatus.PRESUMED, decided_on=today,
        reasons="Reasonable grounds: the screening found the act, means and purpose.",
        legal_basis=basis, screening_ids=[screening.pk], request=request)]
    if rng.random() < 0.5:
        decisions.append(status_decide(
            viewer=decider, case=case, status=VictimStatus.IDENTIFIED, decided_on=today,
            reasons="Conclusive grounds after the recovery period's interviews and documents.",
            legal_basis=basis, screening_ids=[screening.pk]))
    return decisions


def _appeal(negatives: list[tuple[StatusDecision, Viewer, Viewer]], country: str) -> int:
    """The first negative decision is overturned on appeal, the second upheld."""
    today = timezone.localdate()
    for (decision, screener, decider), overturned in zip(negatives, (True, False), strict=False):
        appeal = appeal_lodge(
            viewer=screener, decision=decision, lodged_on=today, body=APPEAL_BODY[country],
            grounds="The person was too frightened to speak of the debt at the first interview.",
            representative="Legal clinic lawyer")
        appeal_decide(
            viewer=decider, appeal=appeal,
            outcome=AppealOutcome.OVERTURNED if overturned else AppealOutcome.UPHELD,
            outcome_on=today,
            new_status=VictimStatus.PRESUMED if overturned else "",
            reasons="The debt and the withheld passport were established on appeal."
            if overturned else "",
            legal_basis=LEGAL_BASIS[country] if overturned else "")
    return min(len(negatives), 2)


@transaction.atomic
def demo_load(*, seed: int, stdout: OutputWrapper | None = None) -> IdentificationDemo:
    """Screen the demo's cases in Kyrgyzstan and Kazakhstan, refer and decide them, and record
    two appeals in each; a second run finds the screenings and adds nothing."""
    viewers = demo_accounts(logins=LOGINS)
    cases = list(Case.objects.select_related("person", "organisation")
                 .filter(organisation__country__in=COUNTRIES,
                         organisation__is_first_responder=True,
                         organisation__name__in=[spec.name for spec in ORGANISATIONS])
                 .order_by("pk"))
    if not cases or Screening.objects.filter(case__in=cases).exists():
        return IdentificationDemo(0, 0, 0)
    rng = random.Random(seed + 1)  # noqa: S311 synthetic and repeatable by design
    screeners = _screeners(cases)
    authorities = {country: viewers[username].membership.organisation
                   for country, username in DECIDERS.items()}
    screened = decided = appealed = 0
    negatives: dict[str, list[tuple[StatusDecision, Viewer, Viewer]]] = {c: [] for c in COUNTRIES}
    for case in cases:
        screener = screeners.get(case.organisation_id)
        if screener is None or rng.random() < 0.1:
            continue
        country = case.organisation.country
        screening = _screen(rng, screener, case)
        screened += 1
        decider = viewers[DECIDERS[country]]
        decisions = _decide(rng, screening, screener=screener, decider=decider,
                            authority=authorities[country], country=country)
        decided += len(decisions)
        negatives[country] += [(d, screener, decider) for d in decisions
                               if d.status == VictimStatus.NOT_A_VICTIM]
    for country in COUNTRIES:
        appealed += _appeal(negatives[country], country)
    if stdout is not None:
        stdout.write(f"Identification demo: {screened} screenings, {decided} status decisions, "
                     f"{appealed} appeals (decision maker for Kazakhstan: decision.kz).")
    return IdentificationDemo(screened, decided, appealed)
