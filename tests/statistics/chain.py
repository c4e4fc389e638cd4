"""The two criminal cases of the car-service-and-café chain, recorded by the investigators and
prosecutors through the justice services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nrm.accounts.viewer import Viewer
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
from nrm.registry.models import Case

VERDICT_ON = dt.date(2026, 9, 15)


@dataclass(frozen=True)
class Chain:
    victims: list[Case]
    kz_case: CriminalCase
    kg_case: CriminalCase


@dataclass(frozen=True)
class Accused:
    label: str
    role: str
    outcome: str
    months: int | None = None
    suspended: bool = False


def _try(viewer: Viewer, criminal_case: CriminalCase, accused: list[Accused],
         article: CriminalCodeArticle) -> None:
    """Charge the accused under the article and record their verdicts."""
    for person in accused:
        offender = offender_add(viewer=viewer, criminal_case=criminal_case, label=person.label,
                                sex="Masculine", birth_year=1980,
                                citizenship=criminal_case.country, roles=[person.role],
                                article_ids=[article.pk])
        offender_outcome(viewer=viewer, offender=offender, outcome=person.outcome,
                         outcome_on=VERDICT_ON, sentence_months=person.months,
                         sentence_suspended=person.suspended)


def build_chain(*, victims: list[Case], cooperating: int, investigator: Viewer,
                prosecutor: Viewer, kg_investigator: Viewer,
                articles: dict[str, CriminalCodeArticle]) -> Chain:
    """The Kazakh case against the exploiters (first under a related article, re-qualified as
    trafficking) with all the victims; the Kyrgyz case against the recruiters with those who
    came home; the two linked; convictions in both and two compensation claims."""
    kz_case = criminal_case_open(
        viewer=investigator, country="KZ", number="2026-CS-17",
        investigating_agency=investigator.membership.organisation,
        prosecutor_office=prosecutor.membership.organisation, opened_on=dt.date(2026, 2, 1),
        article_ids=[articles["kz_related"].pk])
    qualification_change(viewer=prosecutor, criminal_case=kz_case,
                         article_ids=[articles["kz_trafficking"].pk],
                         valid_from=dt.date(2026, 5, 1),
                         reason="Recruitment by deception and debt bondage established.")
    kg_case = criminal_case_open(
        viewer=kg_investigator, country="KG", number="2026-KG-41",
        investigating_agency=kg_investigator.membership.organisation,
        opened_on=dt.date(2026, 3, 10), article_ids=[articles["kg_trafficking"].pk])
    case_link(viewer=investigator, from_case=kz_case, to_country="KG", to_number="2026-KG-41",
              note="Same victims: the recruiters are investigated in Kyrgyzstan.")

    participants: list[Participant] = []
    for index, case in enumerate(victims):
        declined = index >= cooperating
        participants.append(participant_link(
            viewer=investigator, criminal_case=kz_case, case_code=case.code,
            role=ParticipantRole.VICTIM,
            cooperation=Cooperation.DECLINED if declined else Cooperation.COOPERATING,
            declined_reason="Afraid for the family at home." if declined else "",
            interpreter=True))
        if case.organisation.country == "KG":
            participant_link(viewer=kg_investigator, criminal_case=kg_case,
                             case_code=case.code, role=ParticipantRole.VICTIM_WITNESS,
                             cooperation=Cooperation.COOPERATING)

    for criminal_case, viewer in ((kz_case, prosecutor), (kg_case, kg_investigator)):
        for stage, on in ((Stage.INVESTIGATION, dt.date(2026, 4, 1)),
                          (Stage.TRIAL, dt.date(2026, 7, 1)), (Stage.VERDICT, VERDICT_ON)):
            stage_change(viewer=viewer, criminal_case=criminal_case, stage=stage, on=on)
    _try(prosecutor, kz_case, [
        Accused("O-1", OffenderRole.EXPLOITER, OffenderOutcome.CONVICTED, 96),  # car service
        Accused("O-2", OffenderRole.EXPLOITER, OffenderOutcome.CONVICTED, 84),  # café
        Accused("O-3", OffenderRole.RECEIVER, OffenderOutcome.CONVICTED, 36, suspended=True),
    ], articles["kz_trafficking"])
    _try(kg_investigator, kg_case, [
        Accused("O-1", OffenderRole.RECRUITER, OffenderOutcome.CONVICTED, 48),
        Accused("O-2", OffenderRole.RECRUITER, OffenderOutcome.CONVICTED, 24, suspended=True),
        Accused("O-3", OffenderRole.ORGANISER, OffenderOutcome.AT_LARGE),
    ], articles["kg_trafficking"])

    compensation_record(viewer=prosecutor, participant=participants[0],
                        route=CompensationRoute.CRIMINAL, currency="KZT",
                        claimed="5000000", claimed_on=dt.date(2026, 6, 1),
                        awarded="2000000", awarded_on=VERDICT_ON,
                        paid="1500000", paid_on=dt.date(2026, 10, 1))
    compensation_record(viewer=prosecutor, participant=participants[1],
                        route=CompensationRoute.CRIMINAL, currency="KZT",
                        claimed="2000000", claimed_on=dt.date(2026, 6, 1),
                        awarded="1000000", awarded_on=VERDICT_ON)
    return Chain(victims=victims, kz_case=kz_case, kg_case=kg_case)
