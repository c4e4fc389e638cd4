"""Assistance on a case: support plans (HTCDS spl_), services given with their cost, the return
journey across a border with its reception on arrival, and follow-up contacts afterwards.

Nothing here refers to criminal proceedings: assistance never depends on cooperation with law
enforcement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nrm.assistance.choices import (
    ContactMode,
    Escort,
    RetraffickingRisk,
    ReturnStatus,
    ServiceOutcome,
    SupportPlanType,
    WellBeing,
    service_type_label,
)
from nrm.core.fields import EncryptedTextField


class Recorded(models.Model):
    """Who recorded a row, for which organisation and when: a receiving organisation sees the
    rows its own organisation recorded."""

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_for = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+",
                                     verbose_name=_("recorded by organisation"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SupportPlan(Recorded):
    """HTCDS spl_: what the person and the case worker agree to work towards, of one type.

    A case may hold several plans over time and several at once, but only one open plan of
    each type: a person with health and livelihood needs has a Health and a Livelihood plan;
    a second Health plan starts when the first has ended."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT,
                             related_name="support_plans", verbose_name=_("case"))
    plan_type = models.CharField(_("type"), max_length=40, choices=SupportPlanType.choices)
    objectives = EncryptedTextField(_("objectives"))
    action_plan = EncryptedTextField(_("action plan"), blank=True)
    started_on = models.DateField(_("started on"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    actual_end_on = models.DateField(_("actual end"), null=True, blank=True)

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "plan_type"],
                                    condition=Q(actual_end_on__isnull=True),
                                    name="support_plan_one_open_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_type} {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.actual_end_on is None


class ServiceRecord(Recorded):
    """One service given to the person: what, by which organisation, when, at what cost, with
    what outcome; shelter counts nights, economic support the amount given and its period."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT,
                             related_name="service_records", verbose_name=_("case"))
    support_plan = models.ForeignKey(SupportPlan, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="service_records",
                                     verbose_name=_("support plan"))
    service_type = models.CharField(_("service"), max_length=40)
    provider = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("provider"))
    # The referral the service answers, so that the referrer follows progress per referral.
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="service_records",
                                 verbose_name=_("referral"))
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True,
                               blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    nights = models.PositiveIntegerField(_("nights"), null=True, blank=True)
    amount = models.DecimalField(_("amount given"), max_digits=14, decimal_places=2, null=True,
                                 blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ServiceOutcome.choices,
                               default=ServiceOutcome.IN_PROGRESS)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["case", "-started_on"]),
            models.Index(fields=["service_type", "started_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0),
                                   name="service_cost_not_negative"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="service_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="service_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} {self.started_on}"

    @property
    def service_label(self) -> str:
        return service_type_label(self.service_type)


class ReturnJourney(Recorded):
    """The person's return across a border: documents, escort, travel, the partner who receives
    them and the reception on arrival that the partner records. Carried between deployments by
    exchange packages (inputs.ReturnJourneyInput and ReceptionInput)."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT,
                             related_name="return_journeys", verbose_name=_("case"))
    from_country = models.CharField(_("from country"), max_length=2)
    to_country = models.CharField(_("to country"), max_length=2)
    travel_on = models.DateField(_("travel date"))
    # [{"kind": TravelDocumentKind, "status": TravelDocumentStatus}, ...]: no numbers kept here.
    travel_documents = models.JSONField(_("travel documents"), default=list, blank=True)
    escort = models.CharField(_("escort"), max_length=20, choices=Escort.choices,
                              default=Escort.NONE)
    escort_details = EncryptedTextField(_("escort details"), blank=True)
    receiving_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("receiving organisation"))
    status = models.CharField(_("status"), max_length=12, choices=ReturnStatus.choices,
                              default=ReturnStatus.PLANNED)
    cancel_reason = EncryptedTextField(_("why cancelled"), blank=True)
    # The reception on arrival, recorded by the receiving partner (or reported to the case).
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    received_by = EncryptedTextField(_("received by"), blank=True)
    reception_notes = EncryptedTextField(_("reception notes"), blank=True)
    reception_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("reception recorded by"))
    reception_recorded_for = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("reception recorded by organisation"))

    class Meta:
        verbose_name = _("return journey")
        verbose_name_plural = _("return journeys")
        ordering = ["-travel_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_country=models.F("to_country")),
                                   name="return_crosses_a_border"),
        ]

    def __str__(self) -> str:
        return f"{self.from_country}→{self.to_country} {self.travel_on}"


class FollowUp(Recorded):
    """A contact planned after assistance, and what it found when it took place: whether the
    person was reached, how they are and how great the risk of re-trafficking is."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT,
                             related_name="follow_ups", verbose_name=_("case"))
    planned_on = models.DateField(_("planned for"))
    mode = models.CharField(_("how"), max_length=20, choices=ContactMode.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    reached = models.BooleanField(_("person reached"), null=True, blank=True)
    well_being = models.PositiveSmallIntegerField(_("well-being"), choices=WellBeing.choices,
                                                  null=True, blank=True)
    risk = models.PositiveSmallIntegerField(_("risk of re-trafficking"),
                                            choices=RetraffickingRisk.choices, null=True,
                                            blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("case worker"))

    class Meta:
        verbose_name = _("follow-up contact")
        verbose_name_plural = _("follow-up contacts")
        ordering = ["planned_on", "id"]
        indexes = [models.Index(fields=["done_on", "planned_on"])]

    def __str__(self) -> str:
        return f"follow-up {self.planned_on}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
