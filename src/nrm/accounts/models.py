from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nrm.accounts.roles import Role
from nrm.core.fields import EncryptedTextField


class User(AbstractUser):
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    totp_secret = EncryptedTextField(_("two-factor secret"), blank=True, default="")
    totp_confirmed_at = models.DateTimeField(_("two-factor enrolled"), null=True, blank=True)
    # The last TOTP time step accepted, so that a code cannot be used twice.
    totp_last_step = models.BigIntegerField(default=0)
    failed_logins = models.PositiveSmallIntegerField(_("failed sign-ins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    # Set when an organisation admin creates the account with a temporary password.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def has_two_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organisation__is_active=True)


class Membership(models.Model):
    """A user's role in one organisation. A user may belong to several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="memberships", verbose_name=_("organisation"))
    role = models.PositiveSmallIntegerField(_("role"), choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"],
                                    name="membership_unique_role"),
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once when created."""

    PREFIX = "nrm_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("acts as"))
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, shown in lists so that a user can tell tokens apart.
    hint = models.CharField(_("starts with"), max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_raw_token(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Notification(models.Model):
    """A message to one user, shown in the app (counted in the header) and sent by e-mail.

    Kept as its English text and parameters and translated when read, so that each person reads
    it in their own language. It never holds a person's name: only codes, organisations and a
    link, because e-mail leaves the system."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("user"))
    # The organisation the message concerns the user as a member of.
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    message = models.CharField(_("message"), max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The message in the active language, its parameters filled in."""
        try:
            return gettext(self.message) % self.params
        except (KeyError, TypeError, ValueError):
            # A translation that lost a placeholder must not break the page: say it in English.
            return self.message % self.params
