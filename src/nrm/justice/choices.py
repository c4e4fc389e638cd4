"""Picklists of the justice app. Offender roles map to HTCDS per_RoleInProcess."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ArticleCategory(models.TextChoices):
    TRAFFICKING = "trafficking", _("Trafficking article")
    RELATED = "related", _("Related article")


class Stage(models.TextChoices):
    PRELIMINARY_CHECK = "preliminary_check", _("Preliminary check")
    INVESTIGATION = "investigation", _("Investigation")
    SUSPENDED = "suspended", _("Suspended")
    SENT_TO_COURT = "sent_to_court", _("Sent to court")
    TRIAL = "trial", _("Trial")
    VERDICT = "verdict", _("Verdict")
    APPEAL = "appeal", _("Appeal")
    CLOSED = "closed", pgettext_lazy("criminal case stage", "Closed")


# Stages that need a reason when the case enters them.
STAGES_WITH_REASON = frozenset({Stage.SUSPENDED, Stage.CLOSED})


class ParticipantRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    VICTIM_WITNESS = "victim_witness", _("Victim and witness")


class Cooperation(models.TextChoices):
    COOPERATING = "cooperating", _("Cooperating")
    DECLINED = "declined", _("Declined")
    NOT_ASKED = "not_asked", _("Not asked yet")


class OffenderRole(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    TRANSPORTER = "transporter", _("Transporter or escort")
    RECEIVER = "receiver", _("Receiver")
    EXPLOITER = "exploiter", _("Exploiter")
    CUSTOMER = "customer", _("Customer")
    ORGANISER = "organiser", _("Organiser")
    OFFICIAL = "official", _("Facilitating official")
    FINANCIER = "financier", _("Financier")


# HTCDS per_RoleInProcess value names for each role.
HTCDS_ROLE = {
    OffenderRole.RECRUITER: "RecruiterOrIntermediary",
    OffenderRole.TRANSPORTER: "Transporter",
    OffenderRole.RECEIVER: "ReceivedIndividual",
    OffenderRole.EXPLOITER: "Exploiter",
    OffenderRole.CUSTOMER: "Other",
    OffenderRole.ORGANISER: "ControlledIndividual",
    OffenderRole.OFFICIAL: "Other",
    OffenderRole.FINANCIER: "Other",
}


class OffenderOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISMISSED = "dismissed", _("Dismissed")
    AT_LARGE = "at_large", _("At large")


class CompensationRoute(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal proceedings")
    CIVIL = "civil", _("Civil claim")
    STATE_FUND = "state_fund", _("State fund")


class LegalAssistanceOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    EXECUTED = "executed", _("Executed")
    PARTLY_EXECUTED = "partly_executed", _("Partly executed")
    REFUSED = "refused", _("Refused")
