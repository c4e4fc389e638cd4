"""Every write to accounts: signing in (with lockout), two-factor enrolment and verification,
passwords, API tokens and memberships. Each checks permission, writes and audits in one
transaction."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import secrets
from collections.abc import Iterable, Mapping
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nrm.accounts import totp
from nrm.accounts.models import ApiToken, Membership, Notification, User, hash_token
from nrm.accounts.roles import Role
from nrm.accounts.selectors import two_factor_required
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction

logger = logging.getLogger(__name__)

MAX_TOKEN_DAYS = 365
TEMPORARY_PASSWORD_BYTES = 9  # 12 URL-safe characters: typed once, then replaced


class CodeCheck(enum.Enum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    LOCKED = "locked"


def _home_organisation_id(user: User) -> int | None:
    # Security events belong to the organisation the user would act for, so that its admin
    # finds them in the audit log.
    return (
        Membership.objects.active().filter(user=user).order_by("-role", "pk")
        .values_list("organisation_id", flat=True).first()
    )


def _sign_in_failed(user: User, *, step: str) -> None:
    """Count one failed password or code; lock the account when the count reaches the limit."""
    now = timezone.now()
    if user.locked_until is not None and user.locked_until <= now:
        # A lock that has run out starts a fresh count.
        user.failed_logins = 0
        user.locked_until = None
    user.failed_logins = min(user.failed_logins + 1, 32767)
    organisation_id = _home_organisation_id(user)
    audit_record(actor=user, organisation_id=organisation_id, action=AuditAction.LOGIN_FAILED,
                 obj=user, purpose=step)
    limit = settings.NRM_LOCKOUT_ATTEMPTS
    if limit > 0 and user.failed_logins >= limit:
        user.locked_until = now + dt.timedelta(minutes=settings.NRM_LOCKOUT_MINUTES)
        audit_record(actor=user, organisation_id=organisation_id,
                     action=AuditAction.LOCKED_OUT, obj=user, purpose=step)
    user.save(update_fields=["failed_logins", "locked_until"])


def _sign_in_completed(user: User, *, step: str) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(actor=user, organisation_id=_home_organisation_id(user),
                 action=AuditAction.LOGIN, obj=user, purpose=step)


@transaction.atomic
def password_check(*, username: str, password: str) -> User | None:
    """The user if the password is right and the account is open, else None; failures count
    toward lockout. The answer takes as long, and says as little, for an unknown username."""
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        # Hash anyway, so that the response time does not tell which usernames exist.
        User().set_password(password)
        audit_record(actor=None, organisation_id=None, action=AuditAction.LOGIN_FAILED,
                     purpose="password")
        return None
    password_right = user.check_password(password)
    if user.is_locked():
        audit_record(actor=user, organisation_id=_home_organisation_id(user),
                     action=AuditAction.LOGIN_FAILED, obj=user, purpose="locked")
        return None
    if not (password_right and user.is_active):
        _sign_in_failed(user, step="password")
        return None
    if two_factor_required(user):
        # The count is reset only once the second factor passes too; otherwise a known
        # password would give an attacker unlimited guesses at the code.
        audit_record(actor=user, organisation_id=_home_organisation_id(user),
                     action=AuditAction.LOGIN, obj=user, purpose="password")
    else:
        _sign_in_completed(user, step="password")
    return user


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> CodeCheck:
    """Accept a code from the user's device once (a replayed code is refused); a wrong code
    counts toward lockout like a wrong password."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked():
        audit_record(actor=user, organisation_id=_home_organisation_id(user),
                     action=AuditAction.LOGIN_FAILED, obj=user, purpose="locked")
        return CodeCheck.LOCKED
    step = (
        totp.matching_step(secret=user.totp_secret, code=code, after_step=user.totp_last_step)
        if user.has_two_factor else None
    )
    if step is None:
        _sign_in_failed(user, step="two-factor")
        return CodeCheck.LOCKED if user.is_locked() else CodeCheck.REFUSED
    user.totp_last_step = step
    user.save(update_fields=["totp_last_step"])
    _sign_in_completed(user, step="two-factor")
    return CodeCheck.ACCEPTED


@transaction.atomic
def two_factor_enrolment_begin(*, user: User) -> str:
    """A fresh secret for a device not yet confirmed; stored encrypted, returned for the QR."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_two_factor:
        raise ValidationError(_("Two-factor authentication is already set up for this account."))
    user.totp_secret = totp.new_secret()
    user.save(update_fields=["totp_secret"])
    return user.totp_secret


@transaction.atomic
def two_factor_enrol(*, user: User, code: str) -> User:
    """Confirm the device with a correct code from it; only then does two-factor count."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_two_factor:
        raise ValidationError(_("Two-factor authentication is already set up for this account."))
    step = totp.matching_step(secret=user.totp_secret, code=code, after_step=user.totp_last_step)
    if step is None:
        raise ValidationError({"code": _(
            "That code does not match. Check that the app shows “nrm” with your username and "
            "enter the six digits it shows now."
        )})
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["totp_confirmed_at", "totp_last_step", "failed_logins",
                             "locked_until"])
    audit_record(actor=user, organisation_id=_home_organisation_id(user),
                 action=AuditAction.TWO_FACTOR_ENROLLED, obj=user)
    return user


@transaction.atomic
def two_factor_reset(*, user: User, acting_user: User) -> User:
    """Forget the user's device (a lost phone): they set up a new one at the next sign-in.
    Only the Django admin calls this; the audit log records who did it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    audit_record(actor=acting_user, organisation_id=None, action=AuditAction.TWO_FACTOR_RESET,
                 obj=user)
    return user


@transaction.atomic
def account_unlock(*, user: User, acting_user: User) -> User:
    """Lift a lockout before its time and start a fresh count; the audit log records who did it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(actor=acting_user, organisation_id=None, action=AuditAction.ACCOUNT_UNLOCKED,
                 obj=user)
    return user


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """Set a new password (validated), which also ends a temporary password."""
    validate_password(password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, organisation_id=None, action=AuditAction.PASSWORD_CHANGED, obj=user)
    return user


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


@transaction.atomic
def api_token_revoke_by_admin(*, acting_user: User, token: ApiToken) -> ApiToken:
    """Revoke any user's token from the Django admin (a token that leaked); audited."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=acting_user, organisation_id=token.membership.organisation_id,
                     action=AuditAction.API_TOKEN_REVOKED, obj=token, purpose="revoked in admin")
    return token


def _require_member_manager(viewer: Viewer) -> None:
    if not viewer.manages_members:
        raise PermissionDenied(_("Only an organisation admin may manage its members."))


def _require_grantable(viewer: Viewer, role: int) -> Role:
    try:
        chosen = Role(role)
    except ValueError:
        raise ValidationError({"role": _("Choose one of the listed roles.")}) from None
    if chosen not in viewer.grantable_roles:
        raise PermissionDenied(
            _("An organisation admin cannot grant or remove the role “%(role)s”.")
            % {"role": chosen.label}
        )
    return chosen


@transaction.atomic
def membership_add(
    *, viewer: Viewer, username: str, role: int, new_user: bool,
    first_name: str = "", last_name: str = "", email: str = "",
) -> tuple[Membership, str | None]:
    """Give a user a role in the viewer's organisation. A new user gets a temporary password,
    returned only here, that they must change when they first sign in."""
    _require_member_manager(viewer)
    chosen = _require_grantable(viewer, role)
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Enter a username.")})
    temporary_password: str | None = None
    if new_user:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as error:
            raise ValidationError({"username": error.messages}) from None
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _(
                "This username is taken. To give that person a role here, choose “existing user”."
            )})
        temporary_password = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
        user = User(username=username[:150], first_name=first_name.strip()[:150],
                    last_name=last_name.strip()[:150], email=email.strip(),
                    must_change_password=True)
        user.set_password(temporary_password)
        user.full_clean(exclude=["password"])
        user.save()
    else:
        found = User.objects.filter(username=username, is_active=True).first()
        if found is None:
            raise ValidationError({"username": _("No active user has this username.")})
        user = found
    membership, created = Membership.objects.get_or_create(
        user=user, organisation_id=viewer.organisation_id, role=chosen,
        defaults={"is_active": True},
    )
    if not created:
        if membership.is_active:
            raise ValidationError({"role": _("This user already has this role here.")})
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.MEMBERSHIP_CHANGED, obj=membership,
                 fields=["user", "role", "is_active"], purpose="added")
    return membership, temporary_password


@transaction.atomic
def membership_deactivate(*, viewer: Viewer, membership: Membership) -> Membership:
    """End a membership of the viewer's organisation (its API tokens stop working with it)."""
    _require_member_manager(viewer)
    if membership.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("You can manage only your own organisation's members."))
    _require_grantable(viewer, membership.role)
    if membership.pk == viewer.membership.pk:
        raise ValidationError(_(
            "You cannot end your own membership; ask another admin of your organisation."
        ))
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.MEMBERSHIP_CHANGED, obj=membership,
                     fields=["is_active"], purpose="deactivated")
    return membership


# --- notifications ------------------------------------------------------------------------

def _absolute(url: str) -> str:
    return f"{settings.NRM_BASE_URL}{url}" if url.startswith("/") else url


def _notification_email(notification: Notification) -> EmailMessage | None:
    """The e-mail of one notification, in its reader's language; None if they have no address."""
    user = notification.user
    if not user.email:
        return None
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        text = notification.text
        body = _("%(message)s\n\nOpen nrm to see it: %(link)s\n\nThis message holds no personal "
                 "data; sign in to read more.") % {
            "message": text, "link": _absolute(notification.url or "/")}
        subject = f"nrm: {text}"[:200]
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _send_emails(messages: list[EmailMessage]) -> None:
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except (OSError, SMTPException):
        # The notification is in the app already; a mail server that is down must not undo the
        # work that caused it.
        logger.exception("could not send %s notification e-mail(s)", len(messages))


def notify(
    *, users: Iterable[User], message: str, params: Mapping[str, str] | None = None,
    url: str = "", organisation_id: int | None = None, email: bool = True,
) -> list[Notification]:
    """Tell each user once, in the app and (when the transaction commits) by e-mail.

    ``message`` is English text marked with ``gettext_noop`` where it is written, with
    ``%(name)s`` placeholders filled from ``params``; each reader gets it in their language.
    Never put a person's name or other identifying data in it: e-mail leaves the system."""
    recipients = list({user.pk: user for user in users if user.is_active}.values())
    notifications = Notification.objects.bulk_create(
        Notification(user=user, organisation_id=organisation_id, message=message,
                     params=dict(params or {}), url=url)
        for user in recipients
    )
    if email:
        for notification, user in zip(notifications, recipients, strict=True):
            notification.user = user
        emails = [mail for notification in notifications
                  if (mail := _notification_email(notification)) is not None]
        if emails:
            transaction.on_commit(lambda: _send_emails(emails))
    return notifications


@transaction.atomic
def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all of them, or those listed); returns how
    many changed. Nobody marks another's."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
