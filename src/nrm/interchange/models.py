"""The interchange app's models live with the feature that owns them; Django finds them here."""

from __future__ import annotations

from nrm.interchange.exchange.models import (
    PartnerDeployment,
    ReceivedPackage,
    RemoteOrganisation,
)

__all__ = ["PartnerDeployment", "ReceivedPackage", "RemoteOrganisation"]
