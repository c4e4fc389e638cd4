"""Criminal cases, their qualification history, stages, victims, offenders (pseudonymous),
cross-border links, requests for legal assistance and compensation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.core.fields import EncryptedTextField
from nrm.core.i18n import text_in_language
from nrm.justice.choices import (
    ArticleCategory,
    CompensationRoute,
    Cooperation,
    LegalAssistanceOutcome,
    OffenderOutcome,
    ParticipantRole,
    Stage,
)


class CriminalCodeArticle(models.Model):
    """One article of a country's criminal code, flagged trafficking or related. Data, loaded
    from justice/data/criminal-codes.json."""

    country = models.CharField(_("country"), max_length=2)
    number = models.CharField(_("article"), max_length=20)
    category = models.CharField(_("category"), max_length=12, choices=ArticleCategory.choices)
    # The title in each language it has been written in, by language code.
    titles = models.JSONField(_("titles"), default=dict)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("criminal-code article")
        verbose_name_plural = _("criminal-code articles")
        ordering = ["country", "category", "number"]
        constraints = [
            models.UniqueConstraint(fields=["country", "number"], name="article_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.number}"

    @property
    def title(self) -> str:
        """The title in the current language, else Russian, else English."""
        return text_in_language(self.titles, self.number)


class CriminalCase(models.Model):
    country = models.CharField(_("jurisdiction"), max_length=2)
    number = models.CharField(_("case number"), max_length=60)
    investigating_agency = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="investigations",
        verbose_name=_("investigating agency"))
    prosecutor_office = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="prosecutions", verbose_name=_("prosecutor's office"))
    opened_on = models.DateField(_("opened on"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices,
                             default=Stage.PRELIMINARY_CHECK)
    stage_since = models.DateField(_("in this stage since"))
    # Victims known to the investigation but not registered in the NRM.
    unregistered_victims = models.PositiveIntegerField(_("victims not registered in the NRM"),
                                                       default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["country", "number"],
                                    name="criminal_case_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.number}"


class Qualification(models.Model):
    """One version of a criminal case's legal qualification; every version is kept."""

    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE,
                                      related_name="qualifications")
    articles = models.ManyToManyField(CriminalCodeArticle, related_name="+",
                                      verbose_name=_("articles"))
    valid_from = models.DateField(_("valid from"))
    reason = models.TextField(_("reason for the change"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["valid_from", "recorded_at"]

    def __str__(self) -> str:
        return f"qualification {self.pk}"


class StageChange(models.Model):
    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE,
                                      related_name="stage_changes")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.stage} {self.on}"


class Hearing(models.Model):
    """A court hearing date: what the victim's case worker needs to prepare the person."""

    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE,
                                      related_name="hearings")
    on = models.DateField(_("date"))
    court = models.CharField(_("court"), max_length=200, blank=True)

    class Meta:
        ordering = ["on"]

    def __str__(self) -> str:
        return f"hearing {self.on}"


class Participant(models.Model):
    """A registered person's part in a criminal case, through their registry case."""

    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE,
                                      related_name="participants")
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT,
                             related_name="criminal_participations")
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    cooperation = models.CharField(_("cooperation"), max_length=12, choices=Cooperation.choices,
                                   default=Cooperation.NOT_ASKED)
    declined_reason = EncryptedTextField(_("why declined"), blank=True)
    protection_measures = EncryptedTextField(_("protection measures"), blank=True)
    legal_representative = EncryptedTextField(_("legal representative"), blank=True)
    interpreter = models.BooleanField(_("interpreter present"), default=False)
    psychologist = models.BooleanField(_("psychologist present"), default=False)

    class Meta:
        verbose_name = _("victim or witness")
        verbose_name_plural = _("victims and witnesses")
        constraints = [
            models.UniqueConstraint(fields=["criminal_case", "case"],
                                    name="participant_unique_case"),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk}"


class Offender(models.Model):
    """An accused person, recorded pseudonymously: no name is ever stored here."""

    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE,
                                      related_name="offenders")
    label = models.CharField(_("label"), max_length=20,
                             help_text=_("A pseudonym within the case, such as “O-1”."))
    sex = models.CharField(_("sex"), max_length=24, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    roles = models.JSONField(_("roles"), default=list)
    outcome = models.CharField(_("outcome"), max_length=10, choices=OffenderOutcome.choices,
                               default=OffenderOutcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    sentence_months = models.PositiveIntegerField(_("sentence (months)"), null=True, blank=True)
    sentence_suspended = models.BooleanField(_("sentence suspended"), default=False)
    assets_confiscated = models.DecimalField(_("assets confiscated"), max_digits=14,
                                             decimal_places=2, null=True, blank=True)
    assets_currency = models.CharField(_("currency"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("offender")
        verbose_name_plural = _("offenders")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["criminal_case", "label"],
                                    name="offender_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Charge(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="charges")
    article = models.ForeignKey(CriminalCodeArticle, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=OffenderOutcome.choices,
                               default=OffenderOutcome.PENDING)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offender", "article"], name="charge_unique"),
        ]

    def __str__(self) -> str:
        return f"charge {self.pk}"


class CaseLink(models.Model):
    """Two criminal cases, usually in two countries, that concern the same chain."""

    from_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, related_name="+")
    to_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="case_link_unique"),
        ]

    def __str__(self) -> str:
        return f"link {self.pk}"


class LegalAssistanceRequest(models.Model):
    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE,
                                      related_name="legal_assistance_requests")
    requesting_country = models.CharField(_("requesting country"), max_length=2)
    requested_country = models.CharField(_("requested country"), max_length=2)
    subject = models.CharField(_("subject"), max_length=300)
    sent_on = models.DateField(_("sent on"))
    answer_due_on = models.DateField(_("answer due"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16,
                               choices=LegalAssistanceOutcome.choices,
                               default=LegalAssistanceOutcome.PENDING)

    class Meta:
        verbose_name = _("request for legal assistance")
        verbose_name_plural = _("requests for legal assistance")
        ordering = ["sent_on"]

    def __str__(self) -> str:
        return f"MLA {self.pk}"


class Compensation(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="compensations")
    route = models.CharField(_("route"), max_length=12, choices=CompensationRoute.choices)
    currency = models.CharField(_("currency"), max_length=3)
    claimed = models.DecimalField(_("claimed"), max_digits=14, decimal_places=2, null=True,
                                  blank=True)
    claimed_on = models.DateField(_("claimed on"), null=True, blank=True)
    awarded = models.DecimalField(_("awarded"), max_digits=14, decimal_places=2, null=True,
                                  blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    paid = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, null=True,
                               blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")

    def __str__(self) -> str:
        return f"compensation {self.pk}"
