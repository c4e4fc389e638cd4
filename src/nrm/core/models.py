from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nrm.core.fields import EncryptedJSONField, EncryptedTextField


class AuditAction(models.IntegerChoices):
    """What happened. Numbered in ranges (reads 100s, writes 200s, access 300s) with gaps."""

    IDENTITY_READ = 101, _("Identity viewed")
    CASE_READ = 102, _("Case viewed")
    SCREENING_READ = 103, _("Screening viewed")
    CRIMINAL_CASE_READ = 104, _("Criminal case viewed")
    REFERRAL_READ = 105, _("Referral viewed")
    SHARED_CASE_READ = 106, _("Shared case viewed")
    ASSISTANCE_READ = 107, _("Assistance viewed")
    CANDIDATE_PAIR_READ = 108, _("Candidate pair viewed")
    SEARCH = 110, pgettext_lazy("audit action", "Search")
    EXPORT = 120, pgettext_lazy("audit action", "Export")
    IMPORT = 121, pgettext_lazy("audit action", "Import")
    PERSON_REGISTERED = 201, _("Person registered")
    IDENTITY_CHANGED = 202, _("Identity changed")
    CASE_OPENED = 210, _("Case opened")
    CASE_CHANGED = 211, _("Case changed")
    CASE_CLOSED = 212, _("Case closed")
    EVENT_RECORDED = 220, _("Trafficking event recorded")
    CONSENT_RECORDED = 230, _("Consent recorded")
    CONSENT_WITHDRAWN = 231, _("Consent withdrawn")
    SCREENING_STARTED = 240, _("Screening started")
    SCREENING_ANSWERED = 241, _("Screening answered")
    SCREENING_COMPLETED = 242, _("Screening completed")
    DECISION_REQUESTED = 243, _("Decision requested")
    STATUS_DECIDED = 244, _("Victim status decided")
    APPEAL_LODGED = 245, _("Appeal lodged")
    APPEAL_DECIDED = 246, _("Appeal decided")
    COUNTRY_RULES_CHANGED = 247, _("Country rules changed")
    CRIMINAL_CASE_RECORDED = 270, _("Criminal case recorded")
    CRIMINAL_CASE_CHANGED = 271, _("Criminal case changed")
    QUALIFICATION_CHANGED = 272, _("Qualification changed")
    PARTICIPANT_CHANGED = 273, _("Victim or witness in a criminal case changed")
    OFFENDER_CHANGED = 274, _("Offender changed")
    COMPENSATION_CHANGED = 275, _("Compensation changed")
    LEGAL_ASSISTANCE_CHANGED = 276, _("Request for legal assistance changed")
    ORGANISATION_CHANGED = 250, _("Organisation changed")
    AGREEMENT_CHANGED = 251, _("Agreement changed")
    SUPPORT_PLAN_CHANGED = 261, _("Support plan changed")
    SERVICE_RECORDED = 262, _("Service recorded")
    FOLLOW_UP_CHANGED = 263, _("Follow-up changed")
    REFERRAL_SENT = 280, _("Referral sent")
    REFERRAL_ACCEPTED = 281, _("Referral accepted")
    REFERRAL_DECLINED = 282, _("Referral declined")
    REFERRAL_STATUS_CHANGED = 283, _("Referral status changed")
    CONSENT_OVERRIDDEN = 284, _("Missing consent overridden in an emergency")
    PACKAGE_SENT = 285, _("Exchange package sent")
    PACKAGE_IMPORTED = 286, _("Exchange package imported")
    PACKAGE_REFUSED = 287, _("Exchange package refused")
    RETURN_CHANGED = 288, _("Return journey changed")
    REPLY_SENT = 289, _("Exchange reply sent")
    LINKAGE_RUN = 291, _("Duplicate search run")
    PAIR_DECIDED = 292, _("Candidate pair decided")
    PAIR_DECISION_UNDONE = 293, _("Candidate pair decision undone")
    LINKAGE_ENCODED = 294, _("Privacy-preserving encodings produced")
    SPREADSHEET_CHECKED = 295, _("Spreadsheet checked for duplicates")
    # The exchange's 280s are full: replies applied continue after the linkage actions.
    REPLY_APPLIED = 297, _("Exchange reply applied")
    CANCELLATION_SENT = 298, _("Exchange cancellation sent")
    CANCELLATION_APPLIED = 299, _("Exchange cancellation applied")
    MEMBERSHIP_CHANGED = 260, _("Membership changed")
    KEYS_ROTATED = 290, _("Encryption keys rotated")
    LOGIN = 301, _("Signed in")
    LOGIN_FAILED = 302, _("Sign-in failed")
    LOCKED_OUT = 303, _("Account locked")
    ACCOUNT_UNLOCKED = 304, _("Account unlocked")
    PASSWORD_CHANGED = 305, _("Password changed")
    TWO_FACTOR_ENROLLED = 310, _("Two-factor enrolled")
    TWO_FACTOR_RESET = 311, _("Two-factor reset")
    API_TOKEN_CREATED = 320, _("API token created")
    API_TOKEN_REVOKED = 321, _("API token revoked")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One read or write of personal data, or one security event. Written once, never changed."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("actor"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("acting organisation"),
    )
    action = models.PositiveSmallIntegerField(_("action"), choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    # The pseudonymous code of the person concerned, so that a record's accesses can be listed.
    person_code = models.CharField(_("person"), max_length=16, blank=True, db_index=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects: ClassVar[AuditEntryQuerySet] = AuditEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one guard that lives on the model: an entry, once written, stays as written.
        if self.pk is not None:
            raise PermissionError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries cannot be deleted")


class SubmissionReceipt(models.Model):
    """A form or API submission already carried out, so that sending it twice creates nothing."""

    key = models.CharField(max_length=64, unique=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job", "Waiting to start")
    RUNNING = "running", pgettext_lazy("job", "Running")
    DONE = "done", pgettext_lazy("job", "Done")
    FAILED = "failed", pgettext_lazy("job", "Failed")


class Job(models.Model):
    """Long work (an import, a duplicate search) that runs in the background worker.

    The user who started it follows its progress on a page; only they see it. What it reads
    and writes may be personal data, so its input, parameters and result are encrypted, and the
    input is dropped once the job has finished.
    """

    kind = models.CharField(_("kind"), max_length=40)
    # The dotted path of the function that does the work: `runner(job, progress)`.
    runner = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("started by"))
    membership = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT,
                                   related_name="+")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    params = EncryptedJSONField(blank=True, null=True)
    input_data = EncryptedTextField(blank=True)
    result = EncryptedJSONField(blank=True, null=True)
    result_url = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
