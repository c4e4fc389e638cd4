"""/api/v1: one NinjaAPI; each app adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="nrm", version="1", urls_namespace="api")
