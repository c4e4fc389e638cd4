"""Indicator catalogues (data, versioned), screenings, requests for a decision, status decisions
and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.core.fields import EncryptedTextField
from nrm.core.i18n import text_in_language
from nrm.identification.choices import (
    HTCDS_STATUS,
    Answer,
    AppealOutcome,
    DecisionRequestStatus,
    Dimension,
    Element,
    IndicatorGroup,
    IndicatorSet,
    ScreeningResult,
    ScreeningStatus,
    Strength,
    VictimStatus,
    htcds_decision_making_org,
)


class IndicatorCatalogue(models.Model):
    """One published version of the indicator catalogue. Never edited once screenings use it:
    a change is a new version, so that old screenings stay readable as they were answered."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    published_on = models.DateField(_("published on"))
    is_current = models.BooleanField(_("current"), default=False)
    sources = models.TextField(_("sources"), blank=True)

    class Meta:
        verbose_name = _("indicator catalogue")
        verbose_name_plural = _("indicator catalogues")
        ordering = ["-published_on", "-version"]

    def __str__(self) -> str:
        return self.version


class Indicator(models.Model):
    """One question of the catalogue, with its texts in every language it has been written in."""

    catalogue = models.ForeignKey(IndicatorCatalogue, on_delete=models.PROTECT,
                                  related_name="indicators")
    code = models.CharField(_("code"), max_length=120)
    group = models.CharField(_("group"), max_length=20, choices=IndicatorGroup.choices)
    # The Palermo element the indicator speaks to (ILO/EC indicators too, through their dimension).
    element = models.CharField(_("element"), max_length=10, choices=Element.choices, blank=True)
    indicator_set = models.CharField(_("set"), max_length=16, choices=IndicatorSet.choices,
                                     blank=True)
    dimension = models.CharField(_("dimension"), max_length=32, choices=Dimension.choices,
                                 blank=True)
    strength = models.CharField(_("strength"), max_length=10, choices=Strength.choices,
                                blank=True)
    # {"en": "...", "ru": "...", ...}: the catalogue is data, so its texts are too.
    texts = models.JSONField(_("texts"), default=dict)
    # An indicator added by one country only; blank for every country.
    country = models.CharField(_("country"), max_length=2, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["catalogue", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="indicator_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        """The text in the current language, else Russian, else English."""
        return text_in_language(self.texts, self.code)


class CountryRules(models.Model):
    """A country's identification deadlines and recovery-and-reflection period."""

    country = models.CharField(_("country"), max_length=2, unique=True)
    decision_deadline_days = models.PositiveSmallIntegerField(
        _("days to decide on reasonable grounds"), default=5)
    deadline_in_working_days = models.BooleanField(_("count working days only"), default=True)
    # ISO weekday numbers (1 = Monday … 7 = Sunday) that are not working days.
    weekend = models.JSONField(_("weekend days"), default=list)
    holidays = models.JSONField(_("public holidays"), default=list, blank=True)
    recovery_period_days = models.PositiveSmallIntegerField(
        _("recovery and reflection period (days)"), default=30)

    class Meta:
        verbose_name = _("country rules")
        verbose_name_plural = _("country rules")
        ordering = ["country"]

    def __str__(self) -> str:
        return self.country


class Screening(models.Model):
    """A screening interview on a case, against one catalogue version."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="screenings")
    catalogue = models.ForeignKey(IndicatorCatalogue, on_delete=models.PROTECT,
                                  related_name="screenings")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    screener = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    language = models.CharField(_("language of the interview"), max_length=8, blank=True)
    indicator_set = models.CharField(_("ILO/EC set"), max_length=16, blank=True,
                                     choices=IndicatorSet.choices)
    age_at_recruitment = models.PositiveSmallIntegerField(_("age at recruitment"), null=True,
                                                          blank=True)
    age_disputed = models.BooleanField(_("age disputed"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=ScreeningStatus.choices,
                              default=ScreeningStatus.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    computed_result = models.CharField(_("computed result"), max_length=20, blank=True,
                                       choices=ScreeningResult.choices)
    # The explanation as computed at completion, kept as it was shown.
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    judgement = models.CharField(_("professional judgement"), max_length=20, blank=True,
                                 choices=ScreeningResult.choices)
    judgement_note = EncryptedTextField(_("reasons for the judgement"), blank=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"screening {self.pk}"


class ScreeningAnswer(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["screening", "indicator"],
                                    name="screening_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.answer}"


class DecisionRequest(models.Model):
    """A first responder's referral of a case to a competent authority for a status decision.

    It is what lets the authority's decision makers see the case, and what starts the deadline.
    """

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT,
                             related_name="decision_requests")
    competent_authority = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                            related_name="decision_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_for = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                      related_name="+")
    requested_on = models.DateField(_("referred on"))
    due_on = models.DateField(_("decision due"))
    status = models.CharField(_("status"), max_length=10, choices=DecisionRequestStatus.choices,
                              default=DecisionRequestStatus.PENDING)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("request for a decision")
        verbose_name_plural = _("requests for a decision")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["competent_authority", "status", "due_on"])]

    def __str__(self) -> str:
        return f"request {self.pk}"


class StatusDecision(models.Model):
    """A competent authority's decision on a person's victim status. Never needs a criminal case."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="decisions")
    request = models.ForeignKey(DecisionRequest, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="decisions")
    competent_authority = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                            related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField(_("status"), max_length=14, choices=VictimStatus.choices)
    decided_on = models.DateField(_("decided on"))
    reasons = EncryptedTextField(_("reasons"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    screenings = models.ManyToManyField(Screening, blank=True, related_name="decisions",
                                        verbose_name=_("screenings relied on"))
    # The decision an appeal overturned, when this one replaces it.
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by")
    recovery_period_ends = models.DateField(_("recovery period ends"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status decision")
        verbose_name_plural = _("status decisions")
        ordering = ["decided_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.status} {self.decided_on}"

    @property
    def htcds_status(self) -> str:
        """vic_TraffickingStatus."""
        return HTCDS_STATUS[VictimStatus(self.status)]

    @property
    def htcds_decision_making_org(self) -> str:
        """vic_TraffickingStatusDecisionMakingOrg, from the deciding organisation's kind."""
        return htcds_decision_making_org(self.competent_authority.kind)


class Appeal(models.Model):
    """An appeal against a negative decision; the new decision is linked, the old one kept."""

    decision = models.ForeignKey(StatusDecision, on_delete=models.PROTECT, related_name="appeals")
    lodged_on = models.DateField(_("lodged on"))
    body = models.CharField(_("appeal body"), max_length=200)
    grounds = EncryptedTextField(_("grounds"))
    representative = EncryptedTextField(_("representative"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=AppealOutcome.choices,
                               default=AppealOutcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    new_decision = models.OneToOneField(StatusDecision, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="from_appeal")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["lodged_on"]

    def __str__(self) -> str:
        return f"appeal {self.pk}"
