"""Referrals over the API: send one from a case, the inbox, each step of the answer and the
work, cancelling, the shared case for the receiving organisation, and a country's response
deadlines.

As elsewhere in the API, every endpoint parses its schema, fetches through a selector that takes
the token's viewer and calls one service: a referral or case the viewer may not see is 404,
exactly as one that does not exist; a step the role may not take is 403.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from nrm.accounts.api import viewer_of
from nrm.accounts.viewer import Viewer
from nrm.directory.selectors import organisation_for_viewer
from nrm.referrals import services
from nrm.referrals.deadlines import deadlines_for
from nrm.referrals.models import Referral
from nrm.referrals.schemas import (
    CompletionIn,
    DeadlinesIn,
    DeadlinesOut,
    ReasonIn,
    ReferralIn,
    ReferralOut,
    ReferralSummaryOut,
    SharedCaseOut,
    deadlines_out,
    referral_out,
    referral_summary_out,
    shared_case_out,
)
from nrm.referrals.selectors import (
    INBOX_TABS,
    REFERRER,
    WAITING,
    ReferralSeen,
    inbox_for_viewer,
    referral_for_viewer,
    referrals_for_case,
    referrals_sent_for_viewer,
    shared_case_for_viewer,
)
from nrm.registry.schemas import REFUSALS, WRITE_REFUSALS
from nrm.registry.selectors import case_for_viewer

router = Router(tags=["referrals"])

CODE = Path(..., max_length=40, description="The referral's code")
CASE_CODE = Path(..., max_length=40, description="The registry case's pseudonymous code")
COUNTRY = Path(..., max_length=2, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")
LIST_LIMIT = 200


class InboxFiltersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    tab: str = Field(default=WAITING, pattern="^(" + "|".join(INBOX_TABS) + ")$",
                     description="waiting (for an answer), working (accepted or in progress), "
                                 "closed")


def _require_reader(viewer: Viewer) -> None:
    if not viewer.works_cases:
        raise PermissionDenied(_("Only case workers and their supervisors work with referrals."))


def _read(request: HttpRequest, code: str) -> ReferralOut:
    viewer = viewer_of(request)
    return referral_out(referral_for_viewer(viewer=viewer, code=code), timezone.now())


def _step(request: HttpRequest, code: str,
          write: Callable[[Viewer, Referral], object]) -> ReferralOut:
    viewer = viewer_of(request)
    write(viewer, referral_for_viewer(viewer=viewer, code=code, purpose="answer").referral)
    return _read(request, code)


@router.post("/referrals", response={201: ReferralOut, **WRITE_REFUSALS},
             summary="Refer a case to an organisation: services, urgency, note and the fields "
                     "to share (consent gate, agreement across borders)")
def referral_send(request: HttpRequest, payload: ReferralIn) -> Status:
    viewer = viewer_of(request)
    case = case_for_viewer(viewer=viewer, code=payload.case_code, purpose="referral")
    receiver = organisation_for_viewer(viewer=viewer, organisation_id=payload.receiver_id)
    sent = services.referral_send(
        viewer=viewer, case=case, receiver=receiver, services=list(payload.services),
        urgency=payload.urgency, shared_fields=list(payload.shared_fields), note=payload.note,
        accompanying_children=payload.accompanying_children,
        override_reason=payload.override_reason,
        submission_key=payload.submission_key or None)
    return Status(201, _read(request, sent.code))


@router.get("/referrals/inbox", response={200: list[ReferralSummaryOut], **REFUSALS},
            summary="Referrals to your organisation: waiting for an answer (by deadline), "
                    "being worked on, or closed")
def inbox(request: HttpRequest, filters: Query[InboxFiltersIn]) -> list[ReferralSummaryOut]:
    viewer = viewer_of(request)
    _require_reader(viewer)
    now = timezone.now()
    return [referral_summary_out(referral, now) for referral in
            inbox_for_viewer(viewer=viewer, tab=filters.tab)[:LIST_LIMIT]]


@router.get("/referrals/sent", response={200: list[ReferralSummaryOut], **REFUSALS},
            summary="Referrals your organisation sent, open ones first")
def sent(request: HttpRequest) -> list[ReferralSummaryOut]:
    viewer = viewer_of(request)
    _require_reader(viewer)
    now = timezone.now()
    return [referral_summary_out(referral, now) for referral in
            referrals_sent_for_viewer(viewer=viewer)[:LIST_LIMIT]]


@router.get("/referral-deadlines/{country}", response={200: DeadlinesOut, **REFUSALS},
            summary="How long a country's organisations have to answer a referral")
def deadlines(request: HttpRequest, country: str = COUNTRY) -> DeadlinesOut:
    viewer_of(request)
    return deadlines_out(deadlines_for(country))


@router.put("/referral-deadlines/{country}", response={200: DeadlinesOut, **WRITE_REFUSALS},
            summary="Set them (the country's national coordinator, or a system admin)")
def deadlines_set(request: HttpRequest, payload: DeadlinesIn,
                  country: str = COUNTRY) -> DeadlinesOut:
    rules = services.response_deadlines_set(viewer=viewer_of(request), country=country,
                                            **payload.model_dump())
    return deadlines_out(rules)


@router.get("/cases/{code}/referrals", response={200: list[ReferralOut], **REFUSALS},
            tags=["referrals"], summary="The referrals of a case, with their history")
def case_referrals(request: HttpRequest, code: str = CASE_CODE) -> list[ReferralOut]:
    viewer = viewer_of(request)
    case = case_for_viewer(viewer=viewer, code=code, purpose="referrals")
    now = timezone.now()
    # Seen from the referring side: referrals_for_case let only those who see the case through.
    return [referral_out(ReferralSeen(referral=referral, side=REFERRER), now)
            for referral in referrals_for_case(viewer=viewer, case=case)]


@router.get("/referrals/{code}", response={200: ReferralOut, **REFUSALS},
            summary="One referral, as its referring or its receiving organisation sees it")
def referral(request: HttpRequest, code: str = CODE) -> ReferralOut:
    return _read(request, code)


@router.post("/referrals/{code}/accept", response={200: ReferralOut, **WRITE_REFUSALS},
             summary="Accept a referral (the receiving organisation)")
def accept(request: HttpRequest, code: str = CODE) -> ReferralOut:
    return _step(request, code, lambda viewer, found: services.referral_accept(
        viewer=viewer, referral=found))


@router.post("/referrals/{code}/decline", response={200: ReferralOut, **WRITE_REFUSALS},
             summary="Decline a referral with a reason (the receiving organisation)")
def decline(request: HttpRequest, payload: ReasonIn, code: str = CODE) -> ReferralOut:
    return _step(request, code, lambda viewer, found: services.referral_decline(
        viewer=viewer, referral=found, reason=payload.reason))


@router.post("/referrals/{code}/start", response={200: ReferralOut, **WRITE_REFUSALS},
             summary="Start the work on an accepted referral")
def start(request: HttpRequest, code: str = CODE) -> ReferralOut:
    return _step(request, code, lambda viewer, found: services.referral_start(
        viewer=viewer, referral=found))


@router.post("/referrals/{code}/complete", response={200: ReferralOut, **WRITE_REFUSALS},
             summary="Complete a referral in progress")
def complete(request: HttpRequest, payload: CompletionIn, code: str = CODE) -> ReferralOut:
    return _step(request, code, lambda viewer, found: services.referral_complete(
        viewer=viewer, referral=found, note=payload.note))


@router.post("/referrals/{code}/cancel", response={200: ReferralOut, **WRITE_REFUSALS},
             summary="Cancel an open referral with a reason (the referring organisation)")
def cancel(request: HttpRequest, payload: ReasonIn, code: str = CODE) -> ReferralOut:
    return _step(request, code, lambda viewer, found: services.referral_cancel(
        viewer=viewer, referral=found, reason=payload.reason))


@router.get("/referrals/{code}/shared-case", response={200: SharedCaseOut, **REFUSALS},
            exclude_unset=True,
            summary="The referred case within the shared fields (the receiving organisation, "
                    "once it has accepted); fields not shared are absent")
def shared_case(request: HttpRequest, code: str = CODE) -> SharedCaseOut:
    return shared_case_out(shared_case_for_viewer(viewer=viewer_of(request), code=code))
