"""What the menu asks of the exchange: whether the viewer keeps the partner deployments."""

from __future__ import annotations

from django import template

from nrm.accounts.viewer import Viewer
from nrm.interchange.exchange.access import manages_partners as _manages_partners

register = template.Library()


@register.filter
def manages_partners(viewer: Viewer | None) -> bool:
    return viewer is not None and _manages_partners(viewer)
