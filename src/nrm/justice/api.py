"""Criminal proceedings over the API: criminal cases and every action on them for the
law-enforcement organisations working on them, and the victim view for the person's own case
workers.

As elsewhere in the API, every endpoint parses its schema, fetches through a selector that takes
the token's viewer and calls one service: a criminal case the viewer does not work on is 404,
exactly as one that does not exist; an action the role may not take is 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.responses import Status

from nrm.accounts.api import viewer_of
from nrm.directory.models import Organisation
from nrm.justice import selectors, services
from nrm.justice.models import CriminalCase, Offender, Participant
from nrm.justice.schemas import (
    CaseLinkIn,
    CompensationIn,
    CompensationOut,
    CriminalCaseIn,
    CriminalCaseOut,
    CriminalCaseSummaryOut,
    HearingIn,
    LegalAssistanceAnswerIn,
    LegalAssistanceIn,
    LegalAssistanceOut,
    OffenderIn,
    OffenderOutcomeIn,
    ParticipantChangeIn,
    ParticipantIn,
    QualificationIn,
    StageIn,
    UnregisteredVictimsIn,
    VictimViewOut,
    compensation_out,
    criminal_case_out,
    criminal_case_summary_out,
    legal_assistance_out,
    victim_view_out,
)
from nrm.registry.models import Case
from nrm.registry.schemas import MAX_ID, REFUSALS, WRITE_REFUSALS
from nrm.registry.selectors import case_for_viewer

router = Router(tags=["justice"])


CODE = Path(..., max_length=40, description="The registry case's pseudonymous code")


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


def _criminal_case(request: HttpRequest, pk: int) -> CriminalCase:
    return selectors.criminal_case_for_viewer(viewer=viewer_of(request), pk=pk)


def _full(request: HttpRequest, pk: int) -> CriminalCaseOut:
    criminal_case = _criminal_case(request, pk)
    return criminal_case_out(criminal_case, selectors.links_of(criminal_case))


def _participant(request: HttpRequest, pk: int, participant_id: int) -> Participant:
    found = _criminal_case(request, pk).participants.filter(pk=participant_id).first()
    if found is None:
        raise Http404
    return found


def _offender(request: HttpRequest, pk: int, offender_id: int) -> Offender:
    found = _criminal_case(request, pk).offenders.filter(pk=offender_id).first()
    if found is None:
        raise Http404
    return found


def _organisation(field: str, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise ValidationError({field: _("That organisation is not in the directory.")})
    return organisation


# --- criminal cases --------------------------------------------------------------------------

@router.get("/justice/criminal-cases", response={200: list[CriminalCaseSummaryOut], **REFUSALS},
            summary="The criminal cases your organisation investigates or prosecutes")
def criminal_cases(request: HttpRequest) -> list[CriminalCaseSummaryOut]:
    return [criminal_case_summary_out(row)
            for row in selectors.criminal_cases_for_viewer(viewer=viewer_of(request))]


@router.post("/justice/criminal-cases", response={201: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Record a criminal case with its first qualification (law enforcement)")
def criminal_case_open(request: HttpRequest, payload: CriminalCaseIn) -> Status:
    prosecutor_office = (None if payload.prosecutor_office_id is None else
                         _organisation("prosecutor_office_id", payload.prosecutor_office_id))
    opened = services.criminal_case_open(
        viewer=viewer_of(request), country=payload.country, number=payload.number,
        investigating_agency=_organisation("investigating_agency_id",
                                           payload.investigating_agency_id),
        prosecutor_office=prosecutor_office,
        opened_on=payload.opened_on, article_ids=payload.article_ids,
        unregistered_victims=payload.unregistered_victims)
    return Status(201, _full(request, opened.pk))


@router.get("/justice/criminal-cases/{criminal_case_id}",
            response={200: CriminalCaseOut, **REFUSALS},
            summary="One criminal case: qualification history, stages, hearings, victims, "
                    "offenders, links and legal assistance")
def criminal_case(request: HttpRequest,
                  criminal_case_id: int = _id("Criminal case id")) -> CriminalCaseOut:
    return _full(request, criminal_case_id)


@router.post("/justice/criminal-cases/{criminal_case_id}/qualifications",
             response={201: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Requalify the case; every earlier version is kept")
def qualification_change(request: HttpRequest, payload: QualificationIn,
                         criminal_case_id: int = _id("Criminal case id")) -> Status:
    services.qualification_change(
        viewer=viewer_of(request), criminal_case=_criminal_case(request, criminal_case_id),
        article_ids=payload.article_ids, valid_from=payload.valid_from, reason=payload.reason)
    return Status(201, _full(request, criminal_case_id))


@router.post("/justice/criminal-cases/{criminal_case_id}/stages",
             response={201: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Move the case to another stage (a reason for suspension or closure)")
def stage_change(request: HttpRequest, payload: StageIn,
                 criminal_case_id: int = _id("Criminal case id")) -> Status:
    services.stage_change(viewer=viewer_of(request),
                          criminal_case=_criminal_case(request, criminal_case_id),
                          stage=str(payload.stage), on=payload.on, reason=payload.reason)
    return Status(201, _full(request, criminal_case_id))


@router.post("/justice/criminal-cases/{criminal_case_id}/hearings",
             response={201: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Add a court hearing date")
def hearing_add(request: HttpRequest, payload: HearingIn,
                criminal_case_id: int = _id("Criminal case id")) -> Status:
    services.hearing_add(viewer=viewer_of(request),
                         criminal_case=_criminal_case(request, criminal_case_id),
                         on=payload.on, court=payload.court)
    return Status(201, _full(request, criminal_case_id))


@router.post("/justice/criminal-cases/{criminal_case_id}/unregistered-victims",
             response={200: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Set how many victims are known to the investigation but not registered")
def unregistered_victims_set(request: HttpRequest, payload: UnregisteredVictimsIn,
                             criminal_case_id: int = _id("Criminal case id")) -> CriminalCaseOut:
    services.unregistered_victims_set(viewer=viewer_of(request),
                                      criminal_case=_criminal_case(request, criminal_case_id),
                                      count=payload.count)
    return _full(request, criminal_case_id)


# --- victims and witnesses -------------------------------------------------------------------

@router.post("/justice/criminal-cases/{criminal_case_id}/participants",
             response={201: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Link a registered person by their case's code (consent to law "
                     "enforcement needed unless the case is your organisation's)")
def participant_link(request: HttpRequest, payload: ParticipantIn,
                     criminal_case_id: int = _id("Criminal case id")) -> Status:
    services.participant_link(
        viewer=viewer_of(request), criminal_case=_criminal_case(request, criminal_case_id),
        case_code=payload.case_code, role=str(payload.role),
        cooperation=str(payload.cooperation), declined_reason=payload.declined_reason,
        protection_measures=payload.protection_measures,
        legal_representative=payload.legal_representative, interpreter=payload.interpreter,
        psychologist=payload.psychologist)
    return Status(201, _full(request, criminal_case_id))


@router.patch("/justice/criminal-cases/{criminal_case_id}/participants/{participant_id}",
              response={200: CriminalCaseOut, **WRITE_REFUSALS},
              summary="Change a victim's or witness's role, cooperation and support")
def participant_update(request: HttpRequest, payload: ParticipantChangeIn,
                       criminal_case_id: int = _id("Criminal case id"),
                       participant_id: int = _id("Participant id")) -> CriminalCaseOut:
    changes = payload.model_dump(exclude_unset=True)
    for name in ("role", "cooperation"):
        if changes.get(name) is not None:
            changes[name] = str(changes[name])
    services.participant_update(viewer=viewer_of(request),
                                participant=_participant(request, criminal_case_id,
                                                         participant_id), **changes)
    return _full(request, criminal_case_id)


@router.post("/justice/criminal-cases/{criminal_case_id}/participants/{participant_id}/"
             "compensations", response={201: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Record a victim's compensation claim, award and payment")
def compensation_record(request: HttpRequest, payload: CompensationIn,
                        criminal_case_id: int = _id("Criminal case id"),
                        participant_id: int = _id("Participant id")) -> Status:
    participant = _participant(request, criminal_case_id, participant_id)
    services.compensation_record(viewer=viewer_of(request), participant=participant,
                                 **_compensation_values(payload))
    return Status(201, _full(request, criminal_case_id))


def _compensation_values(payload: CompensationIn) -> dict[str, Any]:
    values = payload.model_dump()
    values["route"] = str(payload.route)
    return values


# --- offenders ----------------------------------------------------------------------------------

@router.post("/justice/criminal-cases/{criminal_case_id}/offenders",
             response={201: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Record an accused person under a pseudonym, with roles and charges")
def offender_add(request: HttpRequest, payload: OffenderIn,
                 criminal_case_id: int = _id("Criminal case id")) -> Status:
    services.offender_add(
        viewer=viewer_of(request), criminal_case=_criminal_case(request, criminal_case_id),
        label=payload.label, sex=payload.sex, birth_year=payload.birth_year,
        citizenship=payload.citizenship, roles=[str(role) for role in payload.roles],
        article_ids=payload.article_ids)
    return Status(201, _full(request, criminal_case_id))


@router.post("/justice/criminal-cases/{criminal_case_id}/offenders/{offender_id}/outcome",
             response={200: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Record an offender's outcome, sentence and confiscated assets")
def offender_outcome(request: HttpRequest, payload: OffenderOutcomeIn,
                     criminal_case_id: int = _id("Criminal case id"),
                     offender_id: int = _id("Offender id")) -> CriminalCaseOut:
    services.offender_outcome(
        viewer=viewer_of(request), offender=_offender(request, criminal_case_id, offender_id),
        outcome=str(payload.outcome), outcome_on=payload.outcome_on,
        sentence_months=payload.sentence_months, sentence_suspended=payload.sentence_suspended,
        assets_confiscated=payload.assets_confiscated,
        assets_currency=payload.assets_currency or "")
    return _full(request, criminal_case_id)


# --- across borders ----------------------------------------------------------------------------

@router.post("/justice/criminal-cases/{criminal_case_id}/links",
             response={201: CriminalCaseOut, **WRITE_REFUSALS},
             summary="Link another criminal case of the same chain, by country and number")
def case_link(request: HttpRequest, payload: CaseLinkIn,
              criminal_case_id: int = _id("Criminal case id")) -> Status:
    services.case_link(viewer=viewer_of(request),
                       from_case=_criminal_case(request, criminal_case_id),
                       to_country=payload.to_country, to_number=payload.to_number,
                       note=payload.note)
    return Status(201, _full(request, criminal_case_id))


@router.post("/justice/criminal-cases/{criminal_case_id}/legal-assistance",
             response={201: LegalAssistanceOut, **WRITE_REFUSALS},
             summary="Record a request for legal assistance sent or received")
def legal_assistance_record(request: HttpRequest, payload: LegalAssistanceIn,
                            criminal_case_id: int = _id("Criminal case id")) -> Status:
    recorded = services.legal_assistance_record(
        viewer=viewer_of(request), criminal_case=_criminal_case(request, criminal_case_id),
        requesting_country=payload.requesting_country,
        requested_country=payload.requested_country, subject=payload.subject,
        sent_on=payload.sent_on, answer_due_on=payload.answer_due_on)
    return Status(201, legal_assistance_out(recorded))


@router.post("/justice/criminal-cases/{criminal_case_id}/legal-assistance/{request_id}/answer",
             response={200: LegalAssistanceOut, **WRITE_REFUSALS},
             summary="Record the answer to a request for legal assistance")
def legal_assistance_answer(request: HttpRequest, payload: LegalAssistanceAnswerIn,
                            criminal_case_id: int = _id("Criminal case id"),
                            request_id: int = _id("Request id")) -> LegalAssistanceOut:
    found = _criminal_case(request, criminal_case_id).legal_assistance_requests.filter(
        pk=request_id).first()
    if found is None:
        raise Http404
    answered = services.legal_assistance_answer(viewer=viewer_of(request), request=found,
                                                answered_on=payload.answered_on,
                                                outcome=str(payload.outcome))
    return legal_assistance_out(answered)


@router.get("/justice/legal-assistance/overdue",
            response={200: list[LegalAssistanceOut], **REFUSALS},
            summary="Requests for legal assistance on your cases whose answer is overdue")
def legal_assistance_overdue(request: HttpRequest) -> list[LegalAssistanceOut]:
    return [legal_assistance_out(row)
            for row in selectors.legal_assistance_overdue(viewer=viewer_of(request))]


# --- the victim view -----------------------------------------------------------------------------

def _own_case(request: HttpRequest, code: str) -> Case:
    return case_for_viewer(viewer=viewer_of(request), code=code, purpose="API justice")


@router.get("/justice/cases/{code}/criminal-proceedings",
            response={200: list[VictimViewOut], **REFUSALS},
            summary="The criminal proceedings the person takes part in, as their case worker "
                    "may see them: stage, hearing dates, role, compensation")
def victim_view(request: HttpRequest, code: str = CODE) -> list[VictimViewOut]:
    case = _own_case(request, code)
    return [victim_view_out(row)
            for row in selectors.victim_view_for_case(viewer=viewer_of(request), case=case)]


@router.post("/justice/cases/{code}/criminal-proceedings/{participant_id}/compensations",
             response={201: CompensationOut, **WRITE_REFUSALS},
             summary="Record the person's compensation, as their case worker")
def victim_compensation_record(request: HttpRequest, payload: CompensationIn,
                               code: str = CODE,
                               participant_id: int = _id("Participant id")) -> Status:
    viewer = viewer_of(request)
    case = _own_case(request, code)
    views = selectors.victim_view_for_case(viewer=viewer, case=case)
    if participant_id not in {row.participant_id for row in views}:
        raise Http404
    participant = Participant.objects.select_related("case", "criminal_case").get(
        pk=participant_id)
    recorded = services.compensation_record(viewer=viewer, participant=participant,
                                            **_compensation_values(payload))
    return Status(201, compensation_out(recorded))
