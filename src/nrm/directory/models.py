from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class SexServed(models.TextChoices):
    """Whom an organisation takes in, as HTCDS prs_Gender value names (those of registry.Sex),
    so that a person's recorded sex matches without a table of its own."""

    WOMEN = "Feminine", _("Women and girls")
    MEN = "Masculine", _("Men and boys")
    TRANSGENDER_WOMEN = "TransgenderFeminine", _("Transgender women")
    TRANSGENDER_MEN = "TransgenderMasculine", _("Transgender men")
    NON_CONFORMING = "NonConforming", _("Gender non-conforming persons")


# Below this age a person is a child (the Palermo Protocol's and the CRC's 18).
ADULT_AGE = 18


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
    # Where it serves besides its own region (ISO 3166-2 codes), for a referrer's region filter.
    coverage_regions = models.JSONField(_("regions served"), default=list, blank=True,
                                        help_text=_("ISO 3166-2"))
    # Eligibility: whom it takes in. Empty or unset means no restriction.
    sexes_accepted = models.JSONField(_("sexes accepted"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("youngest age accepted"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("oldest age accepted"), null=True, blank=True)
    accompanied_children = models.BooleanField(
        _("takes in accompanying children"), default=False,
        help_text=_("Takes in a person together with their children."))
    # Capacity, kept by the organisation's own admins and supervisors.
    places = models.PositiveIntegerField(_("places"), null=True, blank=True)
    free_places = models.PositiveIntegerField(_("free places"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(_("capacity updated"), null=True, blank=True)
    capacity_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("capacity updated by"))
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

    @property
    def accepts_children(self) -> bool:
        """Whether it takes in a person under 18 (on their own, not only with a parent)."""
        return self.age_min is None or self.age_min < ADULT_AGE

    def accepts_age(self, age: int) -> bool:
        return ((self.age_min is None or self.age_min <= age)
                and (self.age_max is None or age <= self.age_max))

    def accepts_sex(self, sex: str) -> bool:
        """An unknown sex is never a reason to leave an organisation out."""
        return not self.sexes_accepted or sex not in SexServed.values or (
            sex in self.sexes_accepted)


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def in_force(self, on: dt.date) -> AgreementQuerySet:
        """Agreements valid on ``on``: started, and not yet ended."""
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on),
                           valid_from__lte=on)

    def between(self, first: Organisation, second: Organisation) -> AgreementQuerySet:
        """Agreements that both organisations are parties to."""
        return self.filter(parties=first).filter(parties=second)


class Agreement(models.Model):
    """A memorandum of understanding between organisations of the directory: who signed it,
    what it covers (referral, data sharing, which services) and when it is in force.

    A cross-border referral needs one in force between the two organisations. Not personal data:
    every member reads agreements; national coordinators and system admins keep them."""

    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    signed_document = models.CharField(
        _("signed document"), max_length=300, blank=True,
        help_text=_("Where the signed original is kept: a registry number, an archive or a link."))
    parties = models.ManyToManyField(Organisation, related_name="agreements",
                                     verbose_name=_("parties"))
    covers_referral = models.BooleanField(_("covers referral"), default=True)
    covers_data_sharing = models.BooleanField(_("covers sharing personal data"), default=False)
    # Which services a referral under it may ask for; none listed means any service.
    services = models.ManyToManyField(ServiceType, blank=True, related_name="agreements",
                                      verbose_name=_("services covered"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-valid_from", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)
