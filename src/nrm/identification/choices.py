"""Picklists of identification. Decision statuses map to HTCDS vic_TraffickingStatus."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorGroup(models.TextChoices):
    PALERMO = "palermo", _("Palermo Protocol elements")
    ILO_FORCED_LABOUR = "ilo_forced_labour", _("ILO indicators of forced labour")
    ILO_EC = "ilo_ec", _("ILO/EC operational indicators of trafficking")


class Element(models.TextChoices):
    """The three elements of the Palermo definition that an indicator speaks to."""

    ACT = "act", _("Act")
    MEANS = "means", _("Means")
    PURPOSE = "purpose", _("Purpose")


class IndicatorSet(models.TextChoices):
    """The four ILO/EC sets."""

    ADULT_LABOUR = "adult_labour", _("Adults, labour exploitation")
    ADULT_SEXUAL = "adult_sexual", _("Adults, sexual exploitation")
    CHILD_LABOUR = "child_labour", _("Children, labour exploitation")
    CHILD_SEXUAL = "child_sexual", _("Children, sexual exploitation")


class Dimension(models.TextChoices):
    """The six ILO/EC dimensions."""

    DECEPTIVE_RECRUITMENT = "deceptive_recruitment", _("Deceptive recruitment")
    COERCIVE_RECRUITMENT = "coercive_recruitment", _("Coercive recruitment")
    VULNERABILITY_RECRUITMENT = "vulnerability_recruitment", _(
        "Recruitment by abuse of vulnerability")
    EXPLOITATIVE_CONDITIONS = "exploitative_conditions", _("Exploitative conditions of work")
    COERCION_AT_DESTINATION = "coercion_at_destination", _("Coercion at destination")
    VULNERABILITY_AT_DESTINATION = "vulnerability_at_destination", _(
        "Abuse of vulnerability at destination")


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    MEDIUM = "medium", _("Medium")
    WEAK = "weak", _("Weak")
    # Not checked against the ILO publication: the combination rules do not count it.
    UNVERIFIED = "unverified", _("Unverified")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class ScreeningResult(models.TextChoices):
    REASONABLE_GROUNDS = "reasonable_grounds", _("Reasonable grounds to presume trafficking")
    INSUFFICIENT = "insufficient", _("Insufficient indicators")
    MORE_INFORMATION = "more_information", _("More information needed")


class ScreeningStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class VictimStatus(models.TextChoices):
    """Stored values are nrm's; HTCDS_STATUS gives vic_TraffickingStatus."""

    PRESUMED = "presumed", _("Presumed victim (reasonable grounds)")
    IDENTIFIED = "identified", _("Identified victim (conclusive grounds)")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim")


HTCDS_STATUS = {
    VictimStatus.PRESUMED: "PossibleVictimOfTrafficking",
    VictimStatus.IDENTIFIED: "ActualVictimOfTrafficking",
    VictimStatus.NOT_A_VICTIM: "NotAVictimOfTrafficking",
}


# HTCDS vic_TraffickingStatusDecisionMakingOrg by the deciding organisation's kind
# (directory.OrganisationKind values); any other kind is "NonPoliceGovernmentalOrganization".
HTCDS_DECISION_MAKING_ORG = {
    "police": "Police",
    "border_service": "Police",
    "ngo": "NGO",
    "shelter": "NGO",
    "hotline": "NGO",
    "international": "NGO",
    "diaspora": "NGO",
    "court": "CourtOrProsecution",
    "prosecutor": "CourtOrProsecution",
    "community_leader": "Other",
    "other": "NonPoliceGovernmentalOrganization",
}


def htcds_decision_making_org(kind: str) -> str:
    """vic_TraffickingStatusDecisionMakingOrg for a deciding organisation of this kind."""
    return HTCDS_DECISION_MAKING_ORG.get(kind, "NonPoliceGovernmentalOrganization")


class DecisionRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld (decision stands)")
    OVERTURNED = "overturned", _("Overturned")
