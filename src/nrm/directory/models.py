from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.directory.taxonomy import SERVICE_TYPES


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    COURT = "court", _("Court")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")
    HEALTH = "health", _("Health")
    MIGRATION_SERVICE = "migration_service", _("Migration service")
    CONSULATE = "consulate", _("Consulate")
    BORDER_SERVICE = "border_service", _("Border service")
    INTERNATIONAL = "international", _("International organisation")
    SHELTER = "shelter", _("Shelter")
    HOTLINE = "hotline", _("Hotline")
    LEGAL_AID = "legal_aid", _("Legal aid")
    DIASPORA = "diaspora", _("Diaspora association")
    COMMUNITY_LEADER = "community_leader", _("Community or religious leader")
    OTHER = "other", _("Other")


# HTCDS org_Type for each kind, so that export is a mapping.
HTCDS_ORG_TYPE = {
    OrganisationKind.NGO: "NGO",
    OrganisationKind.POLICE: "LawEnforcement",
    OrganisationKind.PROSECUTOR: "LawEnforcement",
    OrganisationKind.COURT: "CentralGovernmentOrganisation",
    OrganisationKind.LABOUR_INSPECTORATE: "CentralGovernmentOrganisation",
    OrganisationKind.SOCIAL_PROTECTION: "LocalGovernmentOrganisation",
    OrganisationKind.HEALTH: "HealthServiceOrganisation",
    OrganisationKind.MIGRATION_SERVICE: "ImmigrationService",
    OrganisationKind.CONSULATE: "CentralGovernmentOrganisation",
    OrganisationKind.BORDER_SERVICE: "LawEnforcement",
    OrganisationKind.INTERNATIONAL: "NGO",
    OrganisationKind.SHELTER: "NGO",
    OrganisationKind.HOTLINE: "NGO",
    OrganisationKind.LEGAL_AID: "LegalService",
    OrganisationKind.DIASPORA: "NGO",
    OrganisationKind.COMMUNITY_LEADER: "NGO",
    OrganisationKind.OTHER: "NGO",
}


class ServiceType(models.Model):
    """One entry of the service taxonomy (directory.taxonomy), kept as rows for relations."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(SERVICE_TYPES.get(self.code, self.code))


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    region = models.CharField(_("region"), max_length=6, blank=True, help_text=_("ISO 3166-2"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True,
                                 help_text=_("ISO 639 codes"))
    services = models.ManyToManyField(ServiceType, blank=True, related_name="organisations",
                                      verbose_name=_("services offered"))
    is_first_responder = models.BooleanField(
        _("first responder"), default=False, help_text=_("May screen and refer persons.")
    )
    is_competent_authority = models.BooleanField(
        _("competent authority"), default=False, help_text=_("May decide victim status.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["country", "name"]
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def htcds_type(self) -> str:
        return HTCDS_ORG_TYPE[OrganisationKind(self.kind)]
