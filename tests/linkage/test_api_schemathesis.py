"""Schemathesis against the linkage operations as the national coordinator, who reviews, with a
pair and a finished search in the database: generated requests reach the selectors and the
services (the API-wide run speaks as a case worker, who is refused at once). No request may end
in a server error, and every answer must match the published schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from nrm.accounts.services import api_token_create
from nrm.wsgi import application
from tests.api.test_schemathesis import EXAMPLES
from tests.conftest import register
from tests.linkage.conftest import finished_run, found, pair_of

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="^/api/v1/linkage/")


@pytest.fixture
def reviewed(transactional_db, coordinator, case_worker, outsider) -> dict[str, Any]:
    """A pair of Aigul's two records, found by the coordinator's finished search."""
    safe_home = register(case_worker)
    tendesh = register(outsider, given="AIGUL", family="MAMYTOVA")
    run = finished_run(coordinator, [found(safe_home, tendesh)])
    return {"token": api_token_create(viewer=coordinator, name="schemathesis", days=1)[1],
            "pair_id": pair_of(safe_home, tendesh).pk, "run_id": run.pk,
            "code": safe_home.person.code}


def _aim_at_real_objects(case: Any, reviewed: dict[str, Any]) -> None:
    # Half of the generated ids and codes become real ones, so that decisions and undoing reach
    # the services and not only a 404.
    path = case.path_parameters or {}
    for name in ("pair_id", "run_id"):
        if isinstance(path.get(name), int) and path[name] % 2 == 0:
            path[name] = reviewed[name]
    if "code" in path and len(str(path["code"])) % 2 == 0:
        path["code"] = reviewed["code"]


@pytest.mark.schemathesis
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_linkage_api_answers_every_request_without_server_error(case: Any,
                                                                reviewed: dict[str, Any]) -> None:
    _aim_at_real_objects(case, reviewed)
    case.call_and_validate(headers={"Authorization": f"Bearer {reviewed['token']}"},
                           checks=[not_a_server_error, response_schema_conformance])
