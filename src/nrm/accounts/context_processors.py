from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from nrm.accounts.models import User
from nrm.accounts.selectors import unread_notification_count


def viewer(request: HttpRequest) -> dict[str, Any]:
    """The viewer, and the number of unread notifications for the header (counted only when a
    page shows it)."""
    user = getattr(request, "user", None)
    return {
        "viewer": getattr(request, "viewer", None),
        "unread_notifications": SimpleLazyObject(
            lambda: unread_notification_count(user=user) if isinstance(user, User) else 0),
    }
