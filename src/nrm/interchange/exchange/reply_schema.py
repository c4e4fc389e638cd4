"""The payload of a reply package, schema ``nrm-exchange-reply/1``: what became of a referral
that a deployment received in an exchange package, sent back to the deployment that made the
package, in the same envelope (signed by the answering deployment, encrypted to the asking one).

A reply carries no identity: the asking deployment has the person already. It names the package
it answers and the asker's referral code (rep_, ref_), the answer and the work with their dates
(ref_, cas_IncomingReferralDate from HTCDS), the reason for a decline, and the return journey's
reception on arrival (ret_). Each reply carries the whole current state, so that a later reply
replaces an earlier one and a lost reply loses nothing.

As for packages, the same pydantic models validate a reply that arrives and give the JSON Schema
the API publishes (`/api/v1/exchange/reply-schema.json`).
"""

# HTCDS-style field names, mixed case: that is the point.
# ruff: noqa: N815
from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

from nrm.interchange.exchange.schema import (
    Code,
    DeploymentId,
    Part,
    ShortText,
    _field_name_as_title,
    _picklist,
    _text,
    pascal_case,
    published_json_schema,
)

REPLY_SCHEMA_VERSION = "nrm-exchange-reply/1"
REPLY_SCHEMA_ID = "urn:nrm:schema:nrm-exchange-reply:1"

# The referral statuses a reply reports (referrals' ReferralStatus), as value names: an answer
# given, and the work after it. "Sent" is nothing to report; cancelling is the asker's own step
# and expiry each side's own clock.
REPLY_STATUS_VALUE_NAMES = {code: pascal_case(code)
                            for code in ("accepted", "declined", "in_progress", "completed")}
# The return journey's status (assistance's ReturnStatus) as value names.
RETURN_STATUS_VALUE_NAMES = {code: pascal_case(code)
                             for code in ("planned", "arrived", "cancelled")}

ReplyStatusName = Annotated[str, *_picklist(list(REPLY_STATUS_VALUE_NAMES.values()),
                                            "What became of the referral")]
ReturnStatusName = Annotated[str, *_picklist(list(RETURN_STATUS_VALUE_NAMES.values()),
                                             "Where the return journey stands")]
Reason = Annotated[str, _text(1000)]


class ReplyAnswers(Part):
    """Which package and referral the reply answers, as the incoming referral recorded them."""

    rep_PackageId: uuid.UUID = Field(description="The id of the package the reply answers")
    ref_Code: Code = Field(description="The referral's code in the deployment that made the "
                                       "package (the asker's own code)")
    ref_ReceivingCode: Code = Field(description="The referral's code in the answering "
                                                "deployment, for correspondence")


class ReplyReferral(Part):
    """What became of the referral: the answer, when, why a decline, and the work after it."""

    ref_Status: ReplyStatusName
    cas_IncomingReferralDate: dt.date = Field(
        description="When the referral arrived at the receiving organisation (its package "
                    "imported)")
    ref_AnsweredAt: dt.datetime = Field(description="When it was accepted or declined")
    ref_DeclineReason: Reason = Field(default="", description="Why it was declined")
    ref_StartedAt: dt.datetime | None = Field(default=None,
                                              description="When the work began")
    ref_CompletedAt: dt.datetime | None = Field(
        default=None, description="When the services asked for were given")

    @model_validator(mode="after")
    def _dates_follow_the_status(self) -> ReplyReferral:
        status = self.ref_Status
        declined = status == REPLY_STATUS_VALUE_NAMES["declined"]
        if declined != bool(self.ref_DeclineReason.strip()):
            raise ValueError("ref_DeclineReason is given exactly when ref_Status is Declined")
        started = status in (REPLY_STATUS_VALUE_NAMES["in_progress"],
                             REPLY_STATUS_VALUE_NAMES["completed"])
        if started != (self.ref_StartedAt is not None):
            raise ValueError("ref_StartedAt is given exactly when the work has begun")
        if (status == REPLY_STATUS_VALUE_NAMES["completed"]) != (self.ref_CompletedAt
                                                                  is not None):
            raise ValueError("ref_CompletedAt is given exactly when ref_Status is Completed")
        moments = [self.ref_AnsweredAt, self.ref_StartedAt, self.ref_CompletedAt]
        known = [moment for moment in moments if moment is not None]
        if any(moment.tzinfo is None for moment in known) or known != sorted(known):
            raise ValueError("ref_AnsweredAt, ref_StartedAt and ref_CompletedAt follow each "
                             "other, with a time zone")
        return self


class ReplyReception(Part):
    """The return journey the package announced, as the receiving organisation recorded it:
    its status and the reception on arrival. The reception notes stay with the receiver."""

    ret_Status: ReturnStatusName
    ret_ArrivalDate: dt.date | None = Field(default=None,
                                            description="When the person arrived")
    ret_ReceivedBy: ShortText = Field(default="", description="Who received the person")

    @model_validator(mode="after")
    def _arrival_with_its_date(self) -> ReplyReception:
        if (self.ret_Status == RETURN_STATUS_VALUE_NAMES["arrived"]) != (
                self.ret_ArrivalDate is not None):
            raise ValueError("ret_ArrivalDate is given exactly when ret_Status is Arrived")
        return self


class ReplyPayload(Part):
    """What a reply carries, once decrypted. It repeats the envelope's reply id, sender,
    recipient and times, so that a reply re-signed or re-addressed by someone else fails."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              field_title_generator=_field_name_as_title,
                              json_schema_extra={"$id": REPLY_SCHEMA_ID})

    schema_version: Literal["nrm-exchange-reply/1"] = Field(alias="schema")
    package_id: uuid.UUID = Field(description="This reply's own id")
    sender: DeploymentId
    recipient: DeploymentId
    created_at: dt.datetime
    expires_at: dt.datetime
    answers: ReplyAnswers
    referral: ReplyReferral
    return_journey: ReplyReception | None = None

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def reply_json_schema() -> dict[str, Any]:
    """The JSON Schema of a reply's payload, as the API publishes it."""
    return published_json_schema(ReplyPayload, REPLY_SCHEMA_VERSION)
