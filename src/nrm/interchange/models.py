"""An HTCDS spreadsheet being imported, and the trafficking status an imported file reported.

The exchange's models (partner deployments, remote organisations, received packages) live in
nrm.interchange.exchange.models; they are imported at the end so that Django finds them here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nrm.core.fields import EncryptedTextField


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    REFUSED = "refused", _("Refused: the file has errors")
    COMMITTING = "committing", _("Being imported")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", pgettext_lazy("import", "Failed")
    DISCARDED = "discarded", _("Discarded")


class HtcdsImport(models.Model):
    """One uploaded HTCDS spreadsheet, from upload through its check to its all-or-nothing import.

    The file is kept encrypted only between the check and the import: it is dropped once it is
    imported, refused, discarded or left unconfirmed for a day.
    """

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    membership = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT,
                                   related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # A file's name may itself name a person, so it is encrypted like the file.
    filename = EncryptedTextField(_("file"), blank=True)
    content = EncryptedTextField(blank=True)  # base64 of the file, until it is no longer needed
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"))
    # How the file's consents were given: the file does not say, so the importer does.
    consent_method = models.CharField(_("how consent was given"), max_length=12, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices,
                              default=ImportStatus.CHECKING)
    check_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    commit_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    cases_created = models.PositiveIntegerField(_("cases created"), default=0)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("HTCDS import")
        verbose_name_plural = _("HTCDS imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"HTCDS import #{self.pk} ({self.status})"


class ReportedStatus(models.Model):
    """The trafficking status that an imported HTCDS file gave for a case (vic_TraffickingStatus
    and who decided it), kept as the file said it.

    It is not an nrm decision: victim status is decided by a competent authority in
    identification. An HTCDS export gives it only for a case that has no nrm decision.
    """

    case = models.OneToOneField("registry.Case", on_delete=models.CASCADE,
                                related_name="reported_status")
    status = models.CharField(_("trafficking status"), max_length=40)
    decision_making_org = models.CharField(_("decided by"), max_length=40, blank=True)
    source = models.ForeignKey(HtcdsImport, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trafficking status reported by an imported file")
        verbose_name_plural = _("trafficking statuses reported by imported files")

    def __str__(self) -> str:
        return f"{self.status} ({self.decision_making_org})"


class ExportFile(models.Model):
    """A large XLSX export made by a background job, kept encrypted for the user who asked for
    it until they download it (once), or for an hour."""

    job = models.OneToOneField("core.Job", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    case_count = models.PositiveIntegerField(_("cases"))
    content = EncryptedTextField(blank=True)  # base64 of the workbook, until downloaded
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")

    def __str__(self) -> str:
        return f"export file #{self.pk}"


from nrm.interchange.exchange.models import (  # noqa: E402
    PartnerDeployment,
    ReceivedPackage,
    RemoteOrganisation,
)

__all__ = ["ExportFile", "HtcdsImport", "ImportStatus", "PartnerDeployment", "ReceivedPackage",
           "RemoteOrganisation", "ReportedStatus"]
