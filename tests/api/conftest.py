"""An API client that speaks as one of the named users, with their personal token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from nrm.accounts.services import api_token_create
from nrm.accounts.viewer import Viewer

BASE = "/api/v1"


class Api:
    """Calls /api/v1 with a bearer token (or none), sending and reading JSON."""

    def __init__(self, client: Client, token: str | None, language: str = "en") -> None:
        self.client = client
        self.headers = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
             headers: dict[str, str] | None = None, **params: Any) -> Any:
        data: Any = raw if raw is not None else (json.dumps(body) if body is not None else None)
        send = getattr(self.client, method.lower())
        kwargs: dict[str, Any] = {"headers": {**self.headers, **(headers or {})}}
        if method.upper() == "GET":
            return send(BASE + path, params, **kwargs)
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return send(BASE + path, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, **params)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("PATCH", path, body, **kwargs)


@pytest.fixture
def api_as(client: Client) -> Callable[..., Api]:
    """api_as(viewer) → a client acting with a fresh token of that viewer's membership."""

    def make(viewer: Viewer | None, language: str = "en") -> Api:
        token = api_token_create(viewer=viewer, name="tests")[1] if viewer else None
        return Api(Client(), token, language)

    return make


@pytest.fixture
def anonymous(client: Client) -> Api:
    return Api(client, None)


def registration(**overrides: Any) -> dict[str, Any]:
    """The body of POST /persons for a synthetic person, Нурбек Асанов, with a labour case."""
    body: dict[str, Any] = {
        "person": {"sex": "Masculine", "birth_year": 1990, "citizenships": ["KG"],
                   "languages": ["ky", "ru"]},
        "identity": {"given_name": "Нурбек", "family_name": "Асанов", "birth_date": "1990-05",
                     "phones": ["+996 700 000 222"],
                     "documents": [{"kind": "passport", "number": "AN0000001", "country": "KG"}]},
        "case": {"entry_point": "hotline", "exploitation_types": ["ForcedLabour"],
                 "labour_industry": "F_Construction", "means_of_control": ["WithholdsDocuments"]},
        "events": [{"stage": "Recruitment", "country": "KG", "region": "KG-GB", "date": "2024-02"},
                   {"stage": "Exploitation", "country": "RU", "city": "Moscow", "date": "2024-04",
                    "description": "construction site, passport taken"}],
        "consents": [{"purpose": "services", "given": True, "method": "oral"}],
    }
    for key, value in overrides.items():
        body[key] = value
    return body
