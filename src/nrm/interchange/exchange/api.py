"""The exchange over the API. Two operations are public, because a partner deployment has no
account here: this deployment's identity (its public keys, nothing secret) and the JSON Schema
of a package's contents (a description, no data)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from nrm.interchange.exchange.identity import published_identity
from nrm.interchange.exchange.schema import exchange_json_schema

router = Router(tags=["exchange"])


class DeploymentOut(Schema):
    deployment_id: str
    name: str
    country: str
    signing_key: str
    encryption_key: str
    fingerprint: str
    development_keys: bool


@router.get("/exchange/deployment", response=DeploymentOut, auth=None,
            summary="This deployment's id and public keys, for partners to register (public)")
def deployment(request: HttpRequest) -> DeploymentOut:
    return DeploymentOut(**dataclasses.asdict(published_identity()))


@router.get("/exchange/schema.json", response=dict[str, Any], auth=None,
            summary="The JSON Schema of an exchange package's contents, nrm-exchange/1 (public)")
def schema(request: HttpRequest) -> dict[str, Any]:
    return exchange_json_schema()
