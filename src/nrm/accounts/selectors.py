"""Reads of accounts: a user's memberships and tokens, an organisation's members, and whether a
user owes a second factor. Each returns only what the asking user or viewer may see."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from nrm.accounts.models import ApiToken, Membership, Notification, User
from nrm.accounts.roles import PERSONAL_DATA_ROLES
from nrm.accounts.viewer import Viewer


def two_factor_required(user: User) -> bool:
    """Whether ``user`` must pass a second factor before using the application.

    Required for every role that sees personal data and for staff (the Django admin shows users
    and the audit log) when NRM_REQUIRE_2FA is on; and always once a user has enrolled a device,
    because then they chose it."""
    if user.has_two_factor:
        return True
    if not settings.NRM_REQUIRE_2FA:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        Membership.objects.active()
        .filter(user=user, role__in=[int(role) for role in PERSONAL_DATA_ROLES])
        .exists()
    )


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    """The user's active memberships, the ones they may act under."""
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "-role")
    )


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first, with the organisation each acts for."""
    return ApiToken.objects.filter(user=user).select_related("membership__organisation")


def api_token_for_user(*, user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens, or 404."""
    token = api_tokens_for_user(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def members_for_viewer(*, viewer: Viewer) -> QuerySet[Membership]:
    """The memberships of the viewer's organisation, for those who manage them (else none)."""
    if not viewer.manages_members:
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation_id=viewer.organisation_id)
        .select_related("user", "organisation")
        .order_by("-is_active", "user__username", "role")
    )


def member_for_viewer(*, viewer: Viewer, membership_id: int) -> Membership:
    """One membership of the viewer's organisation, or 404 (also for other organisations')."""
    membership = members_for_viewer(viewer=viewer).filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    return membership


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody reads another's."""
    return Notification.objects.filter(user=user).select_related("organisation")


def unread_notification_count(*, user: User) -> int:
    """How many of the user's notifications are unread (the number in the header)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
