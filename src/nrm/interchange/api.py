"""Interchange over the API."""

from __future__ import annotations

from ninja import Router

from nrm.interchange.exchange.api import router as exchange_router

router = Router(tags=["interchange"])
router.add_router("", exchange_router)
