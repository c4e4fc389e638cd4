"""The payload of a cancellation, schema ``nrm-exchange-cancellation/1``: the referring
organisation cancelled a referral that it sent as a package, and tells the deployment the package
went to, in the same envelope (signed by the referrer's deployment, encrypted to the receiver's).

Like a reply it carries no identity. It names the packages made of the referral (a package may
have been made again after the first expired, and the receiver may hold any of them), the
referral's code in the referrer's deployment (ref_), the organisation the packages were addressed
to (cas_ReferredOrganisation, as in the package), and when and why the referral was cancelled.

The same pydantic models validate a cancellation that arrives and give the JSON Schema the API
publishes (`/api/v1/exchange/cancellation-schema.json`).
"""

# HTCDS-style field names, mixed case: that is the point.
# ruff: noqa: N815
from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator

from nrm.interchange.exchange.schema import (
    Code,
    DeploymentId,
    ExchangeOrganisation,
    Part,
    _field_name_as_title,
    _text,
    published_json_schema,
)

CANCELLATION_SCHEMA_VERSION = "nrm-exchange-cancellation/1"
CANCELLATION_SCHEMA_ID = "urn:nrm:schema:nrm-exchange-cancellation:1"
# More packages of one referral than this is not a referral's story but a fault.
MAX_PACKAGES_NAMED = 50

Reason = Annotated[str, _text(1000, min_length=1)]


class CancellationOf(Part):
    """The referral cancelled: its code where it was sent from, the packages made of it, and the
    organisation they were addressed to."""

    ref_Code: Code = Field(description="The referral's code in the deployment that made the "
                                       "packages")
    rep_PackageIds: list[uuid.UUID] = Field(
        min_length=1, max_length=MAX_PACKAGES_NAMED,
        description="Every package made of the referral: the receiver may hold any of them")
    cas_ReferredOrganisation: ExchangeOrganisation

    @field_validator("rep_PackageIds")
    @classmethod
    def _each_once(cls, ids: list[uuid.UUID]) -> list[uuid.UUID]:
        if len(set(ids)) != len(ids):
            raise ValueError("rep_PackageIds names each package once")
        return ids


class CancellationReferral(Part):
    """When and why the referring organisation cancelled the referral."""

    ref_Status: Literal["Cancelled"] = Field(description="What became of the referral")
    ref_CancelledAt: dt.datetime = Field(description="When it was cancelled, with a time zone")
    ref_CancelReason: Reason = Field(description="Why it was cancelled")

    @field_validator("ref_CancelReason")
    @classmethod
    def _says_why(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("ref_CancelReason says why, not only blanks")
        return reason

    @field_validator("ref_CancelledAt")
    @classmethod
    def _with_a_time_zone(cls, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("ref_CancelledAt has a time zone")
        return moment


class CancellationPayload(Part):
    """What a cancellation carries, once decrypted. It repeats the envelope's id, sender,
    recipient and times, so that a cancellation re-signed or re-addressed by someone else
    fails."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              field_title_generator=_field_name_as_title,
                              json_schema_extra={"$id": CANCELLATION_SCHEMA_ID})

    schema_version: Literal["nrm-exchange-cancellation/1"] = Field(alias="schema")
    package_id: uuid.UUID = Field(description="This cancellation's own id")
    sender: DeploymentId
    recipient: DeploymentId
    created_at: dt.datetime
    expires_at: dt.datetime
    cancels: CancellationOf
    referral: CancellationReferral

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def cancellation_json_schema() -> dict[str, Any]:
    """The JSON Schema of a cancellation's payload, as the API publishes it."""
    return published_json_schema(CancellationPayload, CANCELLATION_SCHEMA_VERSION)
