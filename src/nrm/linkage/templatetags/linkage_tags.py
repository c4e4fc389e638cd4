"""What the menu and other apps' pages ask of linkage: whether to show its links."""

from __future__ import annotations

from django import template

from nrm.accounts.viewer import Viewer
from nrm.linkage import selectors

register = template.Library()


@register.filter
def reviews_duplicates(viewer: Viewer | None) -> bool:
    return viewer is not None and selectors.reviews_duplicates(viewer)


@register.filter
def checks_spreadsheets(viewer: Viewer | None) -> bool:
    return viewer is not None and selectors.checks_spreadsheets(viewer)
