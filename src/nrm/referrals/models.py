"""Referrals of a case to another organisation, their history, and the response deadlines each
country sets.

A referral carries a snapshot of exactly the fields the referrer chose to share (encrypted), so
that the receiving organisation sees what was shared and nothing more, and so that a referral
that arrives in an exchange package from another deployment, with no case here, is read the same
way. Non-identifying columns (countries, sex, age band, timestamps) are kept in the clear for
figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nrm.core.codes import format_code
from nrm.core.fields import EncryptedJSONField, EncryptedTextField
from nrm.referrals.choices import ReferralOrigin, ReferralStatus, Urgency


class Referral(models.Model):
    """One case referred by one organisation to another for services."""

    code = models.CharField(_("referral code"), max_length=9, unique=True, editable=False)
    origin = models.CharField(_("origin"), max_length=8, choices=ReferralOrigin.choices,
                              default=ReferralOrigin.LOCAL)
    # The case referred; none when the referral came in a package from another deployment.
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="referrals", verbose_name=_("case referred"))
    # The case the receiving organisation opened for the person (a referral from a package).
    receiving_case = models.ForeignKey(
        "registry.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("case opened by the receiving organisation"))

    # The sending side. From another deployment the organisation may be missing from this
    # directory: its name and country come with the package.
    from_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="referrals_sent", verbose_name=_("referring organisation"))
    from_country = models.CharField(_("referring country"), max_length=2)
    sender_name = models.CharField(_("referring organisation (as sent)"), max_length=200,
                                   blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("sent by"))
    # An incoming package: the sending deployment and its own code for the referral. Together
    # unique, so that a package imported twice is refused.
    sending_deployment = models.CharField(_("sending deployment"), max_length=200, blank=True)
    external_code = models.CharField(_("code in the sending deployment"), max_length=64,
                                     blank=True)

    to_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="referrals_received",
        verbose_name=_("receiving organisation"))
    to_country = models.CharField(_("receiving country"), max_length=2)

    # What is asked.
    services_requested = models.JSONField(_("services requested"), default=list)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    accompanying_children = models.PositiveSmallIntegerField(_("accompanying children"),
                                                             default=0)
    note = EncryptedTextField(_("note to the receiving organisation"), blank=True)

    # What is shared: the fields chosen, and their values as sent.
    shared_fields = models.JSONField(_("fields shared"), default=list)
    shared = EncryptedJSONField(_("shared data"), blank=True, null=True)
    consent_overridden = models.BooleanField(_("consent overridden in an emergency"),
                                             default=False)
    override_reason = EncryptedTextField(_("reason for the override"), blank=True)
    agreement = models.ForeignKey(
        "directory.Agreement", on_delete=models.PROTECT, null=True, blank=True,
        related_name="referrals", verbose_name=_("agreement relied on"))

    # For figures only, never shown as shared data: HTCDS prs_Gender and the CTDC age band.
    sex = models.CharField(_("sex"), max_length=24, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, blank=True)

    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("sent"))
    due_at = models.DateTimeField(_("answer due"))
    expires_at = models.DateTimeField(_("expires"))
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("answered by"))
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completion_note = EncryptedTextField(_("note on completion"), blank=True)
    closed_at = models.DateTimeField(_("cancelled or expired"), null=True, blank=True)
    cancel_reason = EncryptedTextField(_("reason for cancelling"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "due_at"]),
            models.Index(fields=["from_organisation", "-sent_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sending_deployment", "external_code"], condition=~Q(external_code=""),
                name="referral_unique_external_code"),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_cross_border(self) -> bool:
        return self.from_country != self.to_country

    @property
    def sender_label(self) -> str:
        return str(self.from_organisation) if self.from_organisation else self.sender_name


class ReferralStatusChange(models.Model):
    """One step of a referral's history: the status it reached, when, by whom, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("time"))
    # None: the system (a referral that expired unanswered).
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"


class ResponseDeadlines(models.Model):
    """How long a country's organisations have to answer a referral, by urgency, and how long
    after that deadline an unanswered referral expires."""

    country = models.CharField(_("country"), max_length=2, unique=True)
    emergency_hours = models.PositiveSmallIntegerField(_("emergency: hours to answer"))
    urgent_hours = models.PositiveSmallIntegerField(_("urgent: hours to answer"))
    routine_hours = models.PositiveSmallIntegerField(_("routine: hours to answer"))
    expiry_hours = models.PositiveSmallIntegerField(
        _("hours after the deadline until an unanswered referral expires"))

    class Meta:
        verbose_name = _("response deadlines")
        verbose_name_plural = _("response deadlines")
        ordering = ["country"]

    def __str__(self) -> str:
        return self.country

    def hours_for(self, urgency: str) -> int:
        return {Urgency.EMERGENCY: self.emergency_hours, Urgency.URGENT: self.urgent_hours,
                Urgency.ROUTINE: self.routine_hours}[Urgency(urgency)]
