"""Partner deployments, the directory organisations that live in them, the packages made for
and received from them, the replies to those packages and the referrers' cancellations of them,
made and applied."""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.core.fields import EncryptedJSONField
from nrm.interchange.exchange.identity import fingerprint
from nrm.referrals.choices import ReferralStatus


class PartnerDeploymentQuerySet(models.QuerySet["PartnerDeployment"]):
    def active(self) -> PartnerDeploymentQuerySet:
        return self.filter(is_active=True)


class PartnerDeployment(models.Model):
    """Another nrm deployment (another country's registry): packages to its organisations are
    encrypted to its key, and packages from it are accepted when its signature verifies.

    Not personal data; system admins keep the list."""

    deployment_id = models.CharField(_("deployment id"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    signing_key = models.CharField(_("public signing key"), max_length=64,
                                   help_text=_("Ed25519, base64"))
    encryption_key = models.CharField(_("public encryption key"), max_length=64,
                                      help_text=_("X25519, base64"))
    contact = models.CharField(
        _("contact"), max_length=300, blank=True,
        help_text=_("Who at the partner confirms its keys, and how to reach them."))
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Packages are sent to and accepted from active partners only."))
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("registered by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnerDeploymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner deployment")
        verbose_name_plural = _("partner deployments")
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.deployment_id})"

    @property
    def signing_public_key(self) -> bytes:
        return base64.b64decode(self.signing_key)

    @property
    def encryption_public_key(self) -> bytes:
        return base64.b64decode(self.encryption_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public_key, self.encryption_public_key)


class RemoteOrganisation(models.Model):
    """A directory organisation that works in a partner deployment: a referral to it travels as
    an exchange package, addressed by the organisation's id in the partner's own directory."""

    organisation = models.OneToOneField(
        "directory.Organisation", on_delete=models.PROTECT, related_name="remote_organisation",
        verbose_name=_("organisation"))
    deployment = models.ForeignKey(PartnerDeployment, on_delete=models.PROTECT,
                                   related_name="organisations",
                                   verbose_name=_("partner deployment"))
    remote_ref = models.CharField(
        _("id in the partner's directory"), max_length=64,
        help_text=_("The organisation's number in the partner deployment's directory, as the "
                    "partner's system admin gives it."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation in a partner deployment")
        verbose_name_plural = _("organisations in partner deployments")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "remote_ref"],
                                    name="remote_organisation_unique_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.deployment.deployment_id}"


class SentPackage(models.Model):
    """A package made here for a referral to an organisation in a partner deployment. The
    package itself is not kept: what it carried is the referral's shared snapshot and the
    return journey named here."""

    package_id = models.UUIDField(_("package id"), unique=True)
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("referral"))
    recipient = models.ForeignKey(PartnerDeployment, on_delete=models.PROTECT,
                                  related_name="sent_packages", verbose_name=_("sent to"))
    journey = models.ForeignKey("assistance.ReturnJourney", on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("return journey"))
    created_at = models.DateTimeField(_("made"))
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("made by"))

    class Meta:
        verbose_name = _("sent package")
        verbose_name_plural = _("sent packages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.package_id)


class ReceivedPackage(models.Model):
    """A package this deployment has imported. Its id is refused if it arrives again, so that a
    copied package cannot create a second referral (replay). It keeps the referral it created
    and the return journey it announced until the receiving organisation puts that journey on
    its case."""

    package_id = models.UUIDField(_("package id"), unique=True)
    sender = models.ForeignKey(PartnerDeployment, on_delete=models.PROTECT,
                               related_name="received_packages", verbose_name=_("sent by"))
    created_at = models.DateTimeField(_("made"))
    expires_at = models.DateTimeField(_("expires"))
    received_at = models.DateTimeField(_("imported"), auto_now_add=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("imported by"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("imported for"))
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("referral"))
    # The package's ret_ part as it arrived (checked by assistance), until it is on the case.
    return_journey = EncryptedJSONField(_("return journey announced"), blank=True, null=True)
    journey = models.OneToOneField("assistance.ReturnJourney", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("return journey on the case"))

    class Meta:
        verbose_name = _("received package")
        verbose_name_plural = _("received packages")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return str(self.package_id)


class SentReply(models.Model):
    """A reply made here to a package received: what became of its referral, and the reception
    on arrival, as they stood when the reply was made (no identity travels back)."""

    package_id = models.UUIDField(_("reply id"), unique=True)
    received = models.ForeignKey(ReceivedPackage, on_delete=models.PROTECT,
                                 related_name="replies", verbose_name=_("package answered"))
    recipient = models.ForeignKey(PartnerDeployment, on_delete=models.PROTECT,
                                  related_name="sent_replies", verbose_name=_("sent to"))
    status = models.CharField(_("referral status reported"), max_length=12,
                              choices=ReferralStatus.choices)
    arrived_on = models.DateField(_("arrival reported"), null=True, blank=True)
    created_at = models.DateTimeField(_("made"))
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("made by"))

    class Meta:
        verbose_name = _("reply sent")
        verbose_name_plural = _("replies sent")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.package_id)


class ReceivedReply(models.Model):
    """A reply applied here to a package this deployment made. Its id is refused if it comes
    again (replay), and a reply made before the latest one applied to the same referral is
    refused as out of date."""

    package_id = models.UUIDField(_("reply id"), unique=True)
    sender = models.ForeignKey(PartnerDeployment, on_delete=models.PROTECT,
                               related_name="received_replies", verbose_name=_("sent by"))
    answers = models.ForeignKey(SentPackage, on_delete=models.PROTECT, related_name="replies",
                                verbose_name=_("package answered"))
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("referral"))
    status = models.CharField(_("referral status reported"), max_length=12,
                              choices=ReferralStatus.choices)
    arrived_on = models.DateField(_("arrival reported"), null=True, blank=True)
    # The steps this reply took here (referral statuses), and whether it recorded the reception.
    applied_steps = models.JSONField(_("steps applied"), default=list, blank=True)
    reception_recorded = models.BooleanField(_("reception recorded"), default=False)
    created_at = models.DateTimeField(_("made"), db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    received_at = models.DateTimeField(_("applied"), auto_now_add=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("applied by"))

    class Meta:
        verbose_name = _("reply received")
        verbose_name_plural = _("replies received")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.package_id)


class SentCancellation(models.Model):
    """A cancellation made here of a referral sent as packages: it tells the deployment the
    packages went to that the referring organisation cancelled the referral."""

    package_id = models.UUIDField(_("cancellation id"), unique=True)
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("referral"))
    recipient = models.ForeignKey(PartnerDeployment, on_delete=models.PROTECT,
                                  related_name="sent_cancellations", verbose_name=_("sent to"))
    created_at = models.DateTimeField(_("made"))
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("made by"))

    class Meta:
        verbose_name = _("cancellation sent")
        verbose_name_plural = _("cancellations sent")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.package_id)


class ReceivedCancellation(models.Model):
    """A cancellation applied here: the referrer in a partner deployment cancelled a referral
    it sent to ``organisation`` as packages. Its id is refused if it comes again (replay); the
    packages it names are refused if they arrive after it (CancelledPackage)."""

    package_id = models.UUIDField(_("cancellation id"), unique=True)
    sender = models.ForeignKey(PartnerDeployment, on_delete=models.PROTECT,
                               related_name="received_cancellations", verbose_name=_("sent by"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("addressed to"))
    referral_code = models.CharField(_("code in the sending deployment"), max_length=64)
    cancelled_at = models.DateTimeField(_("cancelled"))
    # How many referrals here it cancelled (none: the packages had not come, or the referral
    # had already ended here).
    referrals_cancelled = models.PositiveSmallIntegerField(_("referrals cancelled"), default=0)
    created_at = models.DateTimeField(_("made"))
    expires_at = models.DateTimeField(_("expires"))
    received_at = models.DateTimeField(_("applied"), auto_now_add=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("applied by"))

    class Meta:
        verbose_name = _("cancellation received")
        verbose_name_plural = _("cancellations received")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return str(self.package_id)


class CancelledPackage(models.Model):
    """A package a cancellation applied here names: imported already, or refused if it comes."""

    cancellation = models.ForeignKey(ReceivedCancellation, on_delete=models.CASCADE,
                                     related_name="packages", verbose_name=_("cancellation"))
    package_id = models.UUIDField(_("package id"), db_index=True)

    class Meta:
        verbose_name = _("package cancelled")
        verbose_name_plural = _("packages cancelled")
        constraints = [
            models.UniqueConstraint(fields=["cancellation", "package_id"],
                                    name="cancelled_package_once"),
        ]

    def __str__(self) -> str:
        return str(self.package_id)
