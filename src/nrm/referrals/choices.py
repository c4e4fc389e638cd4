"""Picklists of referrals."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


class ReferralStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("referral", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("referral", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral", "Declined")
    IN_PROGRESS = "in_progress", pgettext_lazy("referral", "In progress")
    COMPLETED = "completed", pgettext_lazy("referral", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("referral", "Cancelled")
    EXPIRED = "expired", pgettext_lazy("referral", "Expired")


class ReferralOrigin(models.TextChoices):
    LOCAL = "local", _("Sent in this system")
    PACKAGE = "package", _("Received in an exchange package")


# Referrals the receiving organisation has taken on: it works on the case and sees the shared
# fields. A completed referral stays readable to it (its own records of what it did).
WORKING_STATUSES = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS})
SHARED_STATUSES = WORKING_STATUSES | {ReferralStatus.COMPLETED}
# Referrals still open: one case is not referred twice to the same organisation meanwhile.
OPEN_STATUSES = frozenset({ReferralStatus.SENT}) | WORKING_STATUSES
FINAL_STATUSES = frozenset({ReferralStatus.DECLINED, ReferralStatus.COMPLETED,
                            ReferralStatus.CANCELLED, ReferralStatus.EXPIRED})
