"""Schemathesis throws generated requests, valid and invalid, at every operation of the API, in
process through the WSGI application, as a case worker; no request may end in a server error,
and every answer must match the published schema."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from nrm.accounts.services import api_token_create
from nrm.registry.inputs import ConsentInput
from nrm.registry.services import consent_record
from nrm.wsgi import application

# Bounded so that `make test` stays quick; raise it to search harder.
EXAMPLES = int(os.environ.get("NRM_SCHEMATHESIS_EXAMPLES", "15"))

# Loaded when the tests are collected: serving the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def aigul(transactional_db, case_worker, supervisor, aigul_case) -> dict[str, Any]:
    """Aigul's record with a consent, a case worker's token, and her supervisor's for the audit
    log, which a case worker may not read (transactional: the application commits as in
    production)."""
    consent = consent_record(viewer=case_worker, person=aigul_case.person,
                             consent=ConsentInput(purpose="statistics", given=True,
                                                  method="oral"))
    return {
        "token": api_token_create(viewer=case_worker, name="schemathesis", days=1)[1],
        "audit_token": api_token_create(viewer=supervisor, name="schemathesis", days=1)[1],
        "case": aigul_case.code, "person": aigul_case.person.code, "consent": consent.pk,
        "organisation": aigul_case.organisation_id,
    }


def _aim_at_real_objects(case: Any, aigul: dict[str, Any]) -> None:
    # Half of the generated codes and ids become Aigul's, so that writes with generated bodies
    # reach the services and not only a 404.
    path = case.path_parameters or {}
    if len(str(path.get("code", ""))) % 2 == 0 and "code" in path:
        path["code"] = aigul["person"] if "/persons/" in case.operation.path else aigul["case"]
    for name, key in (("consent_id", "consent"), ("organisation_id", "organisation")):
        if isinstance(path.get(name), int) and path[name] % 2 == 0:
            path[name] = aigul[key]


@pytest.mark.schemathesis
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_every_request_without_server_error(case: Any, aigul: dict[str, Any]) -> None:
    _aim_at_real_objects(case, aigul)
    token = aigul["audit_token"] if case.operation.path == "/api/v1/audit" else aigul["token"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                           checks=[not_a_server_error, response_schema_conformance])
