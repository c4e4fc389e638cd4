"""Duplicate searches over the registry, the candidate pairs they propose, the reviewers' decisions
on them, and the person clusters those decisions make.

Nothing here identifies anyone: a pair names its two persons (pseudonymous), how likely they are
one person, and which fields agreed and how strongly, never the values compared. Names and birth
dates stay in registry.Identity. The one exception is a spreadsheet uploaded to be checked: it is
kept encrypted, and only between its upload and the start of its check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nrm.core.fields import EncryptedJSONField, EncryptedTextField


class RunScope(models.TextChoices):
    ORGANISATION = "organisation", _("The organisation's persons")
    COUNTRY = "country", _("The country's persons")


class Verdict(models.TextChoices):
    PENDING = "pending", pgettext_lazy("candidate pair", "Not yet decided")
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different persons")


class LinkageRun(models.Model):
    """One duplicate search over the persons a reviewer may consider: their organisation's
    (a supervisor) or their country's (a national coordinator); incremental when it compares
    only the persons registered or changed since the previous run of the same scope."""

    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("started by"))
    # The organisation the run was started for; for an organisation's run, also its scope.
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("acting organisation"))
    scope = models.CharField(_("scope"), max_length=12, choices=RunScope.choices)
    country = models.CharField(_("country"), max_length=2)
    incremental = models.BooleanField(_("only new and changed persons"), default=False)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("previous run"))
    threshold = models.FloatField(_("lowest match probability kept"), null=True, blank=True)
    job = models.OneToOneField("core.Job", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    # When the identities were read: the next incremental run compares what changed after it.
    records_read_at = models.DateTimeField(_("persons read"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    persons_compared = models.PositiveIntegerField(_("persons compared"), default=0)
    new_persons = models.PositiveIntegerField(_("new or changed persons"), default=0)
    pairs_found = models.PositiveIntegerField(_("pairs found"), default=0)
    pairs_new = models.PositiveIntegerField(_("pairs proposed for the first time"), default=0)
    pairs_already_decided = models.PositiveIntegerField(_("pairs already decided"), default=0)

    class Meta:
        verbose_name = _("duplicate search")
        verbose_name_plural = _("duplicate searches")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["scope", "country", "-started_at"]),
            models.Index(fields=["scope", "organisation", "-started_at"]),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.scope})"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class CandidatePairQuerySet(models.QuerySet["CandidatePair"]):
    def pending(self) -> CandidatePairQuerySet:
        return self.filter(verdict=Verdict.PENDING)


class CandidatePair(models.Model):
    """Two persons a duplicate search found likely to be one, with the engine's explanation:
    for each field compared, the level of agreement and its weight (never the values)."""

    # The person registered first is always on the left, so that a pair is stored once.
    left = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("first person"))
    right = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("second person"))
    match_probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    # [{"field", "level", "label", "match_weight"}, ...] as the engine explained the match.
    comparisons = models.JSONField(_("explanation"), default=list, blank=True)
    verdict = models.CharField(_("decision"), max_length=10, choices=Verdict.choices,
                               default=Verdict.PENDING)
    first_run = models.ForeignKey(LinkageRun, on_delete=models.SET_NULL, null=True,
                                  related_name="+", verbose_name=_("first found by"))
    last_run = models.ForeignKey(LinkageRun, on_delete=models.SET_NULL, null=True,
                                 related_name="+", verbose_name=_("last found by"))
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CandidatePairQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")
        ordering = ["-match_probability", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="candidate_pair_unique"),
            models.CheckConstraint(condition=models.Q(left__lt=models.F("right")),
                                   name="candidate_pair_ordered"),
        ]
        indexes = [
            models.Index(fields=["verdict", "-match_probability", "-id"]),
        ]

    def __str__(self) -> str:
        return f"pair {self.pk}"


class PairDecision(models.Model):
    """A reviewer's decision on a candidate pair. An undone decision stays, marked undone, so
    that the pair's history can be read back."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="decisions")
    verdict = models.CharField(_("decision"), max_length=10,
                               choices=[(Verdict.SAME.value, Verdict.SAME.label),
                                        (Verdict.DIFFERENT.value, Verdict.DIFFERENT.label)])
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("for organisation"))
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("undone by"))

    class Meta:
        verbose_name = _("decision on a candidate pair")
        verbose_name_plural = _("decisions on candidate pairs")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.verdict} on pair {self.pair_id}"


class ClusterMember(models.Model):
    """A person decided to be the same as at least one other: the members of one cluster are one
    person, counted once. The cluster is known by its member registered first. Only persons in
    a cluster of two or more have a row; the rows are recomputed from the *same* decisions."""

    person = models.OneToOneField("registry.Person", on_delete=models.CASCADE, primary_key=True,
                                  related_name="cluster_membership")
    cluster = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                                related_name="cluster_members",
                                verbose_name=_("cluster (its first-registered member)"))

    class Meta:
        verbose_name = _("member of a person cluster")
        verbose_name_plural = _("members of person clusters")

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cluster_id}"


class SpreadsheetUpload(models.Model):
    """A spreadsheet uploaded to be checked for duplicates, kept only while its columns are
    mapped: encrypted, seen by its uploader alone, deleted when the check starts (the file then
    travels with the background job, which drops it when done) or a day after the upload."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("uploaded by"))
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE,
                                   related_name="+")
    # A file's name can name a person; it is encrypted like the file.
    filename = EncryptedTextField(_("file name"))
    content = EncryptedTextField(_("file"))  # base64 of the bytes uploaded
    columns = EncryptedJSONField(_("columns"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("uploaded spreadsheet")
        verbose_name_plural = _("uploaded spreadsheets")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"upload {self.pk}"
