"""Picklists of assistance. Support plan types are HTCDS 2.0 spl_Type value names; service types
come from the directory's one taxonomy; the rest are nrm's own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nrm.directory.taxonomy import SERVICE_TYPES


class SupportPlanType(models.TextChoices):
    """HTCDS spl_Type."""

    EDUCATION = "Education", _("Education")
    FINANCIAL = "Financial", _("Financial")
    HEALTH = "Health", _("Health")
    LABOUR_EXPLOITATION_REHABILITATION = (
        "LabourExploitationRehabilitation", _("Rehabilitation after labour exploitation"))
    LEGAL = "Legal", _("Legal")
    LIVELIHOOD = "Livelihood", _("Livelihood")
    RIGHTS_BASED_TRAINING = "RightsBasedTraining", _("Rights-based training")
    SEXUAL_EXPLOITATION_REHABILITATION = (
        "SexualExploitationRehabilitation", _("Rehabilitation after sexual exploitation"))
    SOCIAL_CARE = "SocialCare", _("Social care")


# The services of the taxonomy given to a person on a case. Hotline information and outreach
# are first contact, recorded where the contact is (hotline calls), not as assistance.
NOT_ASSISTANCE = frozenset({"hotline_information", "outreach"})
ASSISTANCE_SERVICE_TYPES: tuple[str, ...] = tuple(
    code for code in SERVICE_TYPES if code not in NOT_ASSISTANCE)
SHELTER = "shelter"
ECONOMIC_SUPPORT = "economic_support"
GUARDIANSHIP = "guardianship"
RETURN_REPATRIATION = "return_repatriation"


def service_type_choices() -> list[tuple[str, str]]:
    """The assistance service types with their labels in the current language."""
    return [(code, str(SERVICE_TYPES[code])) for code in ASSISTANCE_SERVICE_TYPES]


def service_type_label(code: str) -> str:
    return str(SERVICE_TYPES.get(code, code))


class ServiceOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    PROVIDED = "provided", _("Provided")
    PARTLY_PROVIDED = "partly_provided", _("Partly provided")
    DECLINED_BY_PERSON = "declined_by_person", _("Declined by the person")
    DISCONTINUED = "discontinued", _("Discontinued")
    NOT_AVAILABLE = "not_available", _("Not available")


# Outcomes that mean the person did receive the service (for "persons assisted").
RECEIVED_OUTCOMES = frozenset({
    ServiceOutcome.IN_PROGRESS, ServiceOutcome.PROVIDED, ServiceOutcome.PARTLY_PROVIDED,
    ServiceOutcome.DISCONTINUED,
})


class TravelDocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    CERTIFICATE_OF_RETURN = "certificate_of_return", _("Certificate of return")
    NATIONAL_ID = "national_id", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    EXIT_PERMIT = "exit_permit", _("Exit permit or visa")
    OTHER = "other", _("Other")


class TravelDocumentStatus(models.TextChoices):
    NEEDED = "needed", _("Needed")
    APPLIED = "applied", _("Applied for")
    ISSUED = "issued", _("Issued")
    HANDED_OVER = "handed_over", _("Handed to the person")


class Escort(models.TextChoices):
    NONE = "none", _("Travels alone")
    SOCIAL_WORKER = "social_worker", _("Social worker or NGO staff")
    INTERNATIONAL = "international", _("International organisation staff")
    CONSULAR = "consular", _("Consular official")
    POLICE = "police", _("Police")
    FAMILY = "family", _("Family member or guardian")


class ReturnStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", pgettext_lazy("return journey", "Cancelled")


class ContactMode(models.TextChoices):
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE = "office", _("At the office")
    ONLINE = "online", _("Online or messenger")
    THROUGH_PARTNER = "through_partner", _("Through a partner organisation")


class WellBeing(models.IntegerChoices):
    """How the person is, as the case worker judges it at the contact; higher is better."""

    IN_CRISIS = 1, _("In crisis")
    STRUGGLING = 2, _("Struggling")
    STABLE = 3, _("Stable")
    WELL = 4, _("Doing well")


class RetraffickingRisk(models.IntegerChoices):
    """The risk of falling back into the hands of traffickers; higher is worse."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


# Contacts after which the case worker must see the person again soon.
CONCERNING_RISK = RetraffickingRisk.HIGH
CONCERNING_WELL_BEING = WellBeing.IN_CRISIS
