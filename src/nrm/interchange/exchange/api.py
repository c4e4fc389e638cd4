"""The exchange over the API, with the same permissions as the pages.

Two operations are public, because a partner deployment has no account here: this deployment's
identity (its public keys, nothing secret) and the JSON Schema of a package's contents (a
description, no data). The others take a token: the referrer makes a package of a referral to
an organisation in a partner deployment; the receiving organisation previews and imports a
package (multipart upload, checked in full each time), and once it accepted the referral puts
the announced return journey on its case (the reception on arrival is then recorded through the
assistance endpoints), and makes replies that tell the sender what became of it; the referrer
previews and applies a reply. A referral sent as a package and then cancelled: the referrer
makes a cancellation, and the receiving organisation previews and applies it. The JSON Schemas
of a reply's and a cancellation's contents are public too. A refused package, reply or
cancellation answers 422 with the refusal's reason and message.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Path, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from nrm.accounts.api import viewer_of
from nrm.assistance.schemas import ReturnJourneyOut, return_journey_out
from nrm.interchange.exchange import selectors, services
from nrm.interchange.exchange.cancellation_schema import cancellation_json_schema
from nrm.interchange.exchange.envelope import MAX_PACKAGE_BYTES
from nrm.interchange.exchange.identity import published_identity
from nrm.interchange.exchange.refusals import PackageRefusedError
from nrm.interchange.exchange.reply_schema import reply_json_schema
from nrm.interchange.exchange.schema import exchange_json_schema
from nrm.interchange.exchange.services import OpenedCancellation, OpenedReply, PackagePreview
from nrm.interchange.exchange.views.packages import package_download
from nrm.registry.schemas import REFUSALS, WRITE_REFUSALS, OrganisationRefOut

router = Router(tags=["exchange"])

CODE = Path(..., max_length=40, description="The referral's code")
_PACKAGE_FILE = {"schema": {"type": "string", "format": "binary"}}


class DeploymentOut(Schema):
    deployment_id: str
    name: str
    country: str
    signing_key: str
    encryption_key: str
    fingerprint: str
    development_keys: bool


class RefusalOut(Schema):
    """A refused package: what is wrong and what to do, in words, and the refusal's reason
    (none when the package is sound but the referral cannot be received, as for a service the
    organisation does not give: then ``errors`` names the field)."""

    detail: str
    reason: str | None = None
    errors: dict[str, list[str]] | None = None


class PreviewOut(Schema):
    package_id: uuid.UUID
    sender: str
    sender_name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    organisation: OrganisationRefOut
    referral_code: str
    from_organisation: str
    from_country: str
    services: list[str]
    urgency: str
    accompanying_children: int
    note: str
    agreement: str | None
    shared_fields: list[str]
    identity_shown: bool
    person: dict[str, Any]
    return_journey: dict[str, Any] | None


class ImportedOut(Schema):
    referral_code: str
    status: str
    package_id: uuid.UUID
    return_journey: bool


class IncomingOut(Schema):
    referral_code: str
    status: str
    package_id: uuid.UUID
    sender: str
    external_code: str
    created_at: dt.datetime
    received_at: dt.datetime
    return_journey: dict[str, Any] | None
    journey_id: int | None
    case_code: str | None


class ReplyPreviewOut(Schema):
    package_id: uuid.UUID
    sender: str
    sender_name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    answers_package: uuid.UUID
    referral_code: str
    status_now: str
    status_reported: str
    steps: list[str]
    records_reception: bool
    reply: dict[str, Any]


class ReplyAppliedOut(Schema):
    referral_code: str
    status: str
    package_id: uuid.UUID
    steps: list[str]
    reception_recorded: bool


class CancellationPreviewOut(Schema):
    package_id: uuid.UUID
    sender: str
    sender_name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    organisation: OrganisationRefOut
    referral_code_there: str
    cancelled_at: dt.datetime
    reason: str
    referrals_cancelled: list[str]  # the referrals here it would cancel, by code
    referrals_unchanged: list[str]  # those that ended here before
    packages_not_imported: bool  # none of its packages came: applying it keeps them out
    cancellation: dict[str, Any]


class CancellationAppliedOut(Schema):
    package_id: uuid.UUID
    referrals_cancelled: int
    referrals: list[str]  # the referrals its packages brought here, by code


@router.get("/exchange/deployment", response=DeploymentOut, auth=None,
            summary="This deployment's id and public keys, for partners to register (public)")
def deployment(request: HttpRequest) -> DeploymentOut:
    return DeploymentOut(**dataclasses.asdict(published_identity()))


@router.get("/exchange/schema.json", response=dict[str, Any], auth=None,
            summary="The JSON Schema of an exchange package's contents, nrm-exchange/1 (public)")
def schema(request: HttpRequest) -> dict[str, Any]:
    return exchange_json_schema()


@router.get("/exchange/reply-schema.json", response=dict[str, Any], auth=None,
            summary="The JSON Schema of a reply's contents, nrm-exchange-reply/1 (public)")
def reply_schema(request: HttpRequest) -> dict[str, Any]:
    return reply_json_schema()


@router.get("/exchange/cancellation-schema.json", response=dict[str, Any], auth=None,
            summary="The JSON Schema of a cancellation's contents, nrm-exchange-cancellation/1 "
                    "(public)")
def cancellation_schema(request: HttpRequest) -> dict[str, Any]:
    return cancellation_json_schema()


@router.post(
    "/exchange/referrals/{code}/package", response={**WRITE_REFUSALS},
    summary="Make a package of a referral to an organisation in a partner deployment (the "
            "file, 201)",
    openapi_extra={"responses": {201: {
        "description": "The package: a signed, encrypted JSON file for the partner deployment",
        "content": {"application/json": _PACKAGE_FILE}}}},
)
def package_send(request: HttpRequest, code: str = CODE) -> HttpResponse:
    viewer = viewer_of(request)
    found = selectors.package_referral_for_viewer(viewer=viewer, code=code)
    made = services.package_send(viewer=viewer, referral=found.referral)
    return package_download(made, status=201)


def _refusal(refusal: PackageRefusedError) -> Status:
    return Status(422, RefusalOut(detail=str(refusal), reason=refusal.reason.value))


def _document(file: UploadedFile) -> bytes:
    return bytes(file.read(MAX_PACKAGE_BYTES + 1))


def _preview_out(preview: PackagePreview) -> PreviewOut:
    opened, part = preview.opened, preview.referral
    organisation = opened.organisation
    assert organisation is not None  # noqa: S101  (a package opened for the viewer)
    agreement = part.ref_Agreement
    return PreviewOut(
        package_id=opened.header.package_id, sender=opened.partner.deployment_id,
        sender_name=opened.partner.name, created_at=opened.header.created_at,
        expires_at=opened.header.expires_at,
        organisation=OrganisationRefOut(id=organisation.pk, name=organisation.name,
                                        country=organisation.country),
        referral_code=part.ref_Code, from_organisation=part.cas_ReferringOrganisation.org_Name,
        from_country=part.cas_ReferringOrganisation.org_ShippingCountry,
        services=preview.services_requested, urgency=preview.urgency,
        accompanying_children=part.ref_AccompanyingChildren,
        note=part.cas_OutgoingReferralDetails,
        agreement=agreement.agr_Title if agreement else None,
        shared_fields=preview.shared_fields, identity_shown=preview.identity_shown,
        person=preview.values,
        return_journey=preview.journey.model_dump(mode="json") if preview.journey else None)


@router.post("/exchange/packages/preview",
             response={**REFUSALS, 200: PreviewOut, 422: RefusalOut},
             summary="Check a package addressed to your organisation and read what it brings, "
                     "importing nothing")
def package_preview(request: HttpRequest, file: File[UploadedFile]) -> PreviewOut | Status:
    try:
        preview = services.package_preview(viewer=viewer_of(request), document=_document(file))
    except PackageRefusedError as refusal:
        return _refusal(refusal)
    return _preview_out(preview)


@router.post("/exchange/packages",
             response={**WRITE_REFUSALS, 201: ImportedOut, 422: RefusalOut},
             summary="Import a package addressed to your organisation as an incoming referral")
def package_import(request: HttpRequest, file: File[UploadedFile]) -> Status:
    try:
        received = services.package_import(viewer=viewer_of(request), document=_document(file))
    except PackageRefusedError as refusal:
        return _refusal(refusal)
    referral = received.referral
    assert referral is not None  # noqa: S101  (an import creates it)
    return Status(201, ImportedOut(referral_code=referral.display_code, status=referral.status,
                                   package_id=received.package_id,
                                   return_journey=bool(received.return_journey)))


@router.get("/exchange/referrals/{code}/incoming", response={200: IncomingOut, **REFUSALS},
            summary="The package a referral to your organisation came in, and the return "
                    "journey it announced")
def incoming(request: HttpRequest, code: str = CODE) -> IncomingOut:
    found = selectors.incoming_package_for_viewer(viewer=viewer_of(request), code=code)
    referral, received, journey = found.referral, found.received, found.journey
    return IncomingOut(
        referral_code=referral.display_code, status=referral.status,
        package_id=received.package_id, sender=received.sender.deployment_id,
        external_code=referral.external_code, created_at=received.created_at,
        received_at=received.received_at,
        return_journey=journey.model_dump(mode="json") if journey else None,
        journey_id=received.journey_id,
        case_code=(referral.receiving_case.display_code if referral.receiving_case else None))


@router.post("/exchange/referrals/{code}/incoming/return",
             response={201: ReturnJourneyOut, **WRITE_REFUSALS},
             summary="Put the return journey the package announced on the case opened on "
                     "acceptance; record the reception through the assistance endpoints")
def incoming_return(request: HttpRequest, code: str = CODE) -> Status:
    viewer = viewer_of(request)
    found = selectors.incoming_package_for_viewer(viewer=viewer, code=code)
    journey = services.package_return_record(viewer=viewer, received=found.received)
    return Status(201, return_journey_out(journey))


@router.post(
    "/exchange/referrals/{code}/incoming/reply", response={**WRITE_REFUSALS},
    summary="Make a reply telling the sender what became of a referral that came in a package "
            "(the file, 201)",
    openapi_extra={"responses": {201: {
        "description": "The reply: a signed, encrypted JSON file for the sending deployment",
        "content": {"application/json": _PACKAGE_FILE}}}},
)
def incoming_reply(request: HttpRequest, code: str = CODE) -> HttpResponse:
    viewer = viewer_of(request)
    found = selectors.incoming_package_for_viewer(viewer=viewer, code=code)
    made = services.reply_send(viewer=viewer, received=found.received)
    return package_download(made, status=201)


def _reply_preview_out(opened: OpenedReply) -> ReplyPreviewOut:
    return ReplyPreviewOut(
        package_id=opened.header.package_id, sender=opened.partner.deployment_id,
        sender_name=opened.partner.name, created_at=opened.header.created_at,
        expires_at=opened.header.expires_at, answers_package=opened.sent.package_id,
        referral_code=opened.referral.display_code, status_now=opened.referral.status,
        status_reported=opened.reported_status, steps=list(opened.steps),
        records_reception=opened.records_reception, reply=opened.payload.as_json())


@router.post("/exchange/replies/preview",
             response={**REFUSALS, 200: ReplyPreviewOut, 422: RefusalOut},
             summary="Check a reply to a referral your organisation sent by package and read "
                     "what it would change, changing nothing")
def reply_preview(request: HttpRequest, file: File[UploadedFile]) -> ReplyPreviewOut | Status:
    try:
        opened = services.reply_preview(viewer=viewer_of(request), document=_document(file))
    except PackageRefusedError as refusal:
        return _refusal(refusal)
    return _reply_preview_out(opened)


@router.post("/exchange/replies",
             response={**WRITE_REFUSALS, 201: ReplyAppliedOut, 422: RefusalOut},
             summary="Apply a reply to a referral your organisation sent by package: its "
                     "answer, its work and the reception on arrival")
def reply_apply(request: HttpRequest, file: File[UploadedFile]) -> Status:
    try:
        applied = services.reply_apply(viewer=viewer_of(request), document=_document(file))
    except PackageRefusedError as refusal:
        return _refusal(refusal)
    referral = applied.referral
    referral.refresh_from_db(fields=["status"])
    return Status(201, ReplyAppliedOut(
        referral_code=referral.display_code, status=referral.status,
        package_id=applied.package_id, steps=list(applied.applied_steps),
        reception_recorded=applied.reception_recorded))


@router.post(
    "/exchange/referrals/{code}/cancellation", response={**WRITE_REFUSALS},
    summary="Make the cancellation of a referral your organisation sent as a package and then "
            "cancelled, for the partner deployment (the file, 201)",
    openapi_extra={"responses": {201: {
        "description": "The cancellation: a signed, encrypted JSON file for the partner "
                       "deployment",
        "content": {"application/json": _PACKAGE_FILE}}}},
)
def package_cancel(request: HttpRequest, code: str = CODE) -> HttpResponse:
    viewer = viewer_of(request)
    found = selectors.package_referral_for_viewer(viewer=viewer, code=code)
    made = services.cancellation_send(viewer=viewer, referral=found.referral)
    return package_download(made, status=201)


def _cancellation_preview_out(opened: OpenedCancellation) -> CancellationPreviewOut:
    part = opened.payload.referral
    return CancellationPreviewOut(
        package_id=opened.header.package_id, sender=opened.partner.deployment_id,
        sender_name=opened.partner.name, created_at=opened.header.created_at,
        expires_at=opened.header.expires_at,
        organisation=OrganisationRefOut(id=opened.organisation.pk,
                                        name=opened.organisation.name,
                                        country=opened.organisation.country),
        referral_code_there=opened.payload.cancels.ref_Code, cancelled_at=part.ref_CancelledAt,
        reason=part.ref_CancelReason,
        referrals_cancelled=[referral.display_code for referral in opened.to_cancel],
        referrals_unchanged=[referral.display_code for referral in opened.left_as_they_are],
        packages_not_imported=opened.nothing_came, cancellation=opened.payload.as_json())


@router.post("/exchange/cancellations/preview",
             response={**REFUSALS, 200: CancellationPreviewOut, 422: RefusalOut},
             summary="Check a referrer's cancellation of a referral your organisation received "
                     "by package and read what it would change, changing nothing")
def cancellation_preview(request: HttpRequest,
                         file: File[UploadedFile]) -> CancellationPreviewOut | Status:
    try:
        opened = services.cancellation_preview(viewer=viewer_of(request),
                                               document=_document(file))
    except PackageRefusedError as refusal:
        return _refusal(refusal)
    return _cancellation_preview_out(opened)


@router.post("/exchange/cancellations",
             response={**WRITE_REFUSALS, 201: CancellationAppliedOut, 422: RefusalOut},
             summary="Apply a referrer's cancellation: the referrals its packages brought to "
                     "your organisation are cancelled, and packages not yet imported refused")
def cancellation_apply(request: HttpRequest, file: File[UploadedFile]) -> Status:
    try:
        applied = services.cancellation_apply(viewer=viewer_of(request),
                                              document=_document(file))
    except PackageRefusedError as refusal:
        return _refusal(refusal)
    return Status(201, CancellationAppliedOut(
        package_id=applied.package_id, referrals_cancelled=applied.referrals_cancelled,
        referrals=[referral.display_code
                   for referral in selectors.referrals_cancelled_by(applied)]))
