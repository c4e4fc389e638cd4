"""Authenticating an API request by its bearer token."""

from __future__ import annotations

from django.utils import timezone

from nrm.accounts.models import ApiToken, hash_token
from nrm.accounts.viewer import Viewer

# Writing last_used_at on every request would turn every read into a write; once a minute is
# enough to tell a user which tokens are in use.
_LAST_USED_RESOLUTION_SECONDS = 60


def viewer_for_token(raw: str) -> Viewer | None:
    """The viewer a token acts as, or None if it is unknown, expired, revoked or inactive."""
    if not raw.startswith(ApiToken.PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "membership__organisation")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if token is None or not token.is_usable():
        return None
    membership = token.membership
    if not (token.user.is_active and membership.is_active and membership.organisation.is_active):
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > _LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Viewer(user=token.user, membership=membership)
