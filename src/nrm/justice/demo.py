"""The justice demo, loaded by `nrm demo` after identification's: four criminal cases in
Kazakhstan and Kyrgyzstan, among them a Kazakh case against the exploiters linked to a Kyrgyz
case against the recruiters, with victims linked by consent, convictions and a compensation
award. Everything goes through this app's services, acting as the demo's investigators and
prosecutors; consent to law enforcement through the registry's, by the person's case worker.

Idempotent: when the first demo case number is recorded, nothing is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from nrm.accounts.models import Membership
from nrm.accounts.roles import REGISTERING_ROLES, Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import OrganisationKind
from nrm.identification.choices import VictimStatus
from nrm.identification.models import StatusDecision
from nrm.justice.choices import (
    CompensationRoute,
    Cooperation,
    OffenderOutcome,
    OffenderRole,
    ParticipantRole,
    Stage,
)
from nrm.justice.models import CriminalCase, CriminalCodeArticle, Participant
from nrm.justice.services import (
    case_link,
    compensation_record,
    criminal_case_open,
    offender_add,
    offender_outcome,
    participant_link,
    qualification_change,
    stage_change,
)
from nrm.registry.choices import ConsentPurpose
from nrm.registry.demo.directory import DemoLogin, DemoOrganisation
from nrm.registry.demo.loader import demo_accounts
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case, Consent
from nrm.registry.services import consent_record

ORGANISATIONS = (
    DemoOrganisation(key="kz-prosecutor", name="Almaty City Prosecutor's Office",
                     kind=OrganisationKind.PROSECUTOR, country="KZ", region="KZ-75",
                     city="Almaty"),
)
LOGINS = (
    DemoLogin("investigator.almaty", "kz-police", Role.CASE_WORKER, "Yerlan", "Dzhaksybekov"),
    DemoLogin("prosecutor.almaty", "kz-prosecutor", Role.CASE_WORKER, "Saule", "Akhmetova"),
    DemoLogin("prosecutor.osh", "kg-prosecutor", Role.CASE_WORKER, "Azamat", "Toktogulov"),
)
# The chain: the Kazakh case against the exploiters, the Kyrgyz one against the recruiters.
KZ_CHAIN = "2026-ALM-0131"
KG_CHAIN = "2026-BSK-0077"


@dataclass(frozen=True)
class JusticeDemo:
    criminal_cases: int
    participants: int
    offenders: int


def _articles(country: str) -> dict[str, CriminalCodeArticle]:
    return {article.number: article for article in
            CriminalCodeArticle.objects.filter(country=country, is_active=True)}


def _victims(country: str, count: int) -> list[Case]:
    """Adults of the country's demo cases with a positive status decision, first decided
    first."""
    adult_born_by = timezone.localdate().year - 18
    case_ids = list(dict.fromkeys(StatusDecision.objects.filter(
        case__organisation__country=country,
        status__in=[VictimStatus.PRESUMED, VictimStatus.IDENTIFIED],
        case__person__birth_year__lte=adult_born_by,
    ).order_by("case_id").values_list("case_id", flat=True)))[:count]
    return list(Case.objects.select_related("person").filter(pk__in=case_ids).order_by("pk"))


def _case_worker(case: Case) -> Viewer | None:
    membership = (Membership.objects.select_related("user", "organisation")
                  .filter(organisation_id=case.organisation_id, role__in=list(REGISTERING_ROLES))
                  .order_by("user__username").first())
    return None if membership is None else Viewer(user=membership.user, membership=membership)


def _link(investigator: Viewer, criminal_case: CriminalCase, case: Case, *,
          cooperating: bool) -> Participant | None:
    """Link a victim after their case worker records consent to law enforcement."""
    worker = _case_worker(case)
    if worker is None:
        return None
    latest = (Consent.objects.filter(person_id=case.person_id,
                                     purpose=ConsentPurpose.LAW_ENFORCEMENT)
              .order_by("-recorded_at", "-pk").first())
    if latest is None or not latest.in_force:
        consent_record(viewer=worker, person=case.person, consent=ConsentInput(
            purpose=ConsentPurpose.LAW_ENFORCEMENT, given=True, method="written"))
    return participant_link(
        viewer=investigator, criminal_case=criminal_case, case_code=case.code,
        role=ParticipantRole.VICTIM_WITNESS if cooperating else ParticipantRole.VICTIM,
        cooperation=Cooperation.COOPERATING if cooperating else Cooperation.NOT_ASKED,
        interpreter=True, psychologist=cooperating)


def _through_trial(viewer: Viewer, criminal_case: CriminalCase, start: dt.date) -> None:
    for stage, days in ((Stage.INVESTIGATION, 10), (Stage.SENT_TO_COURT, 120),
                        (Stage.TRIAL, 150), (Stage.VERDICT, 200)):
        stage_change(viewer=viewer, criminal_case=criminal_case, stage=stage,
                     on=start + dt.timedelta(days=days))


def _convict(viewer: Viewer, criminal_case: CriminalCase, article: CriminalCodeArticle,
             verdict_on: dt.date,
             accused: tuple[tuple[str, str, str, int | None, bool], ...]) -> int:
    for label, role, outcome, months, suspended in accused:
        offender = offender_add(viewer=viewer, criminal_case=criminal_case, label=label,
                                sex="Masculine", birth_year=1979,
                                citizenship=criminal_case.country, roles=[role],
                                article_ids=[article.pk])
        if outcome != OffenderOutcome.PENDING:
            offender_outcome(viewer=viewer, offender=offender, outcome=outcome,
                             outcome_on=verdict_on, sentence_months=months,
                             sentence_suspended=suspended)
    return len(accused)


@transaction.atomic
def demo_load(*, seed: int, stdout: OutputWrapper | None = None) -> JusticeDemo:
    """Record the demo's criminal cases once; a second run finds them and adds nothing.

    The cases are the same for every seed: they are a story, not a sample."""
    del seed
    if CriminalCase.objects.filter(country="KZ", number=KZ_CHAIN).exists():
        return JusticeDemo(0, 0, 0)
    viewers = demo_accounts(organisations=ORGANISATIONS, logins=LOGINS)
    kz, kg = _articles("KZ"), _articles("KG")
    if not {"128", "308"} <= set(kz) or not {"166", "159"} <= set(kg):
        return JusticeDemo(0, 0, 0)  # the criminal codes are not loaded
    kz_police, kz_prosecutor = viewers["investigator.almaty"], viewers["prosecutor.almaty"]
    kg_police, kg_prosecutor = viewers["officer.bishkek"], viewers["prosecutor.osh"]
    today = timezone.localdate()
    start = today - dt.timedelta(days=300)
    participants = offenders = 0

    # Kazakhstan: opened as illegal migration, re-qualified as trafficking once the debt
    # bondage was established; victims of both countries; two convicted, one at large.
    kz_case = criminal_case_open(
        viewer=kz_police, country="KZ", number=KZ_CHAIN,
        investigating_agency=kz_police.membership.organisation,
        prosecutor_office=kz_prosecutor.membership.organisation, opened_on=start,
        article_ids=[kz["308"].pk], unregistered_victims=3)
    qualification_change(viewer=kz_prosecutor, criminal_case=kz_case,
                         article_ids=[kz["128"].pk], valid_from=start + dt.timedelta(days=60),
                         reason="Recruitment by deception and debt bondage established.")
    _through_trial(kz_prosecutor, kz_case, start)
    kz_victims = _victims("KZ", 4) + _victims("KG", 2)
    linked = [_link(kz_police, kz_case, case, cooperating=index % 3 != 2)
              for index, case in enumerate(kz_victims)]
    kz_participants = [p for p in linked if p is not None]
    participants += len(kz_participants)
    verdict_on = start + dt.timedelta(days=200)
    offenders += _convict(kz_prosecutor, kz_case, kz["128"], verdict_on, (
        ("KZ-A", OffenderRole.EXPLOITER, OffenderOutcome.CONVICTED, 96, False),
        ("KZ-B", OffenderRole.ORGANISER, OffenderOutcome.CONVICTED, 120, False),
        ("KZ-C", OffenderRole.RECEIVER, OffenderOutcome.AT_LARGE, None, False),
    ))
    if kz_participants:
        compensation_record(
            viewer=kz_prosecutor, participant=kz_participants[0],
            route=CompensationRoute.CRIMINAL, currency="KZT", claimed="2500000.00",
            claimed_on=start + dt.timedelta(days=130), awarded="1800000.00",
            awarded_on=verdict_on, paid="600000.00", paid_on=today - dt.timedelta(days=20))

    # Kyrgyzstan: the recruiters who sent them, linked to the Kazakh case.
    kg_case = criminal_case_open(
        viewer=kg_police, country="KG", number=KG_CHAIN,
        investigating_agency=kg_police.membership.organisation,
        prosecutor_office=kg_prosecutor.membership.organisation,
        opened_on=start + dt.timedelta(days=30), article_ids=[kg["166"].pk])
    _through_trial(kg_prosecutor, kg_case, start + dt.timedelta(days=30))
    for case in _victims("KG", 3):
        if _link(kg_police, kg_case, case, cooperating=True) is not None:
            participants += 1
    offenders += _convict(kg_prosecutor, kg_case, kg["166"], verdict_on + dt.timedelta(days=30), (
        ("KG-A", OffenderRole.RECRUITER, OffenderOutcome.CONVICTED, 60, False),
        ("KG-B", OffenderRole.TRANSPORTER, OffenderOutcome.CONVICTED, 36, True),
    ))
    case_link(viewer=kg_police, from_case=kg_case, to_case=kz_case,
              note="Same recruitment network: Bishkek recruiters, Almaty exploiters.")

    # Kyrgyzstan: a fraud case still under investigation, its victims not in the NRM.
    fraud = criminal_case_open(
        viewer=kg_police, country="KG", number="2026-BSK-0102",
        investigating_agency=kg_police.membership.organisation,
        opened_on=today - dt.timedelta(days=45), article_ids=[kg["159"].pk],
        unregistered_victims=2)
    stage_change(viewer=kg_police, criminal_case=fraud, stage=Stage.INVESTIGATION,
                 on=today - dt.timedelta(days=40))
    offenders += _convict(kg_police, fraud, kg["159"], today, (
        ("KG-F", OffenderRole.RECRUITER, OffenderOutcome.PENDING, None, False),))

    # Kazakhstan: a suspended investigation; the suspect left the country.
    suspended = criminal_case_open(
        viewer=kz_police, country="KZ", number="2026-ALM-0214",
        investigating_agency=kz_police.membership.organisation,
        opened_on=today - dt.timedelta(days=120), article_ids=[kz["128"].pk])
    stage_change(viewer=kz_police, criminal_case=suspended, stage=Stage.SUSPENDED,
                 on=today - dt.timedelta(days=30),
                 reason="The suspect left the country; a request for legal assistance is sent.")
    offenders += _convict(kz_police, suspended, kz["128"], today, (
        ("KZ-S", OffenderRole.RECRUITER, OffenderOutcome.AT_LARGE, None, False),))

    if stdout is not None:
        stdout.write(f"Justice demo: 4 criminal cases, {participants} victims linked, "
                     f"{offenders} offenders (logins: investigator.almaty, prosecutor.almaty, "
                     f"prosecutor.osh).")
    return JusticeDemo(4, participants, offenders)
