"""Writes to accounts: API tokens (more services join as the accounts screens grow)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.models import ApiToken, hash_token
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction

MAX_TOKEN_DAYS = 365


@transaction.atomic
def api_token_create(*, viewer: Viewer, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """Create a token acting as the viewer's membership; the raw token is returned only here."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name, such as the program using it.")})
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("A token lives between 1 and %(max)s days.") % {"max": MAX_TOKEN_DAYS}}
        )
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        user=viewer.user, membership=viewer.membership, name=name.strip()[:100],
        token_hash=hash_token(raw), hint=raw[:8],
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.API_TOKEN_CREATED, obj=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, viewer: Viewer, token: ApiToken) -> ApiToken:
    """Revoke one of the viewer's own tokens."""
    if token.user_id != viewer.user.pk:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.API_TOKEN_REVOKED, obj=token)
    return token
