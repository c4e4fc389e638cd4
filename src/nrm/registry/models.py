"""Persons (pseudonymous), their identities (encrypted), cases, events and consents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.core.codes import format_code
from nrm.core.dates import DatePrecision
from nrm.core.fields import EncryptedJSONField, EncryptedTextField
from nrm.registry.choices import (
    AgeBand,
    CaseStatus,
    ConsentMethod,
    ConsentPurpose,
    EntryPoint,
    EventStage,
    LabourIndustry,
    RecruiterRelationship,
    Sex,
)


class Person(models.Model):
    """A person, known to everyone but their own organisation only by a pseudonymous code.

    Holds only what statistics need; nothing here identifies anyone.
    """

    code = models.CharField(_("code"), max_length=9, unique=True, editable=False)
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="persons", verbose_name=_("registered by"))
    sex = models.CharField(_("sex"), max_length=24, choices=Sex.choices,
                           default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices,
                                blank=True, help_text=_("When the birth year is not known."))
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["organisation", "birth_year"])]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return format_code(self.code)


class Identity(models.Model):
    """Everything that identifies a person, each field encrypted in the database."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="identity",
                                  primary_key=True)
    given_name = EncryptedTextField(_("given name"), blank=True)
    patronymic = EncryptedTextField(_("patronymic"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    # The names in Latin letters: as on a passport, or nrm's transliteration.
    latin_name = EncryptedTextField(_("name in Latin letters"), blank=True)
    aliases = EncryptedJSONField(_("aliases"), blank=True, null=True)
    birth_date = EncryptedTextField(_("birth date"), blank=True)
    birth_date_precision = models.CharField(_("birth date precision"), max_length=10,
                                            choices=DatePrecision.choices, blank=True)
    documents = EncryptedJSONField(_("identity documents"), blank=True, null=True)
    phones = EncryptedJSONField(_("phones"), blank=True, null=True)
    addresses = EncryptedJSONField(_("addresses"), blank=True, null=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"identity of {self.person_id}"


class NameToken(models.Model):
    """Blind index: a keyed hash of one normalised name part, so search never decrypts."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    # Copied from the person so that a search stays inside the viewer's organisation in one index.
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                     related_name="+")
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "digest"], name="name_token_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "digest"])]

    def __str__(self) -> str:
        return self.digest


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=[CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP])


class Case(models.Model):
    """One trafficking situation of a person; a person may have several."""

    code = models.CharField(_("case code"), max_length=9, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("person"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="cases", verbose_name=_("owning organisation"))
    case_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="cases",
                                    verbose_name=_("responsible case worker"))
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.ACTIVE)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.TextField(_("reason for closure"), blank=True)
    entry_point = models.CharField(_("entry point"), max_length=20, choices=EntryPoint.choices)
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    labour_industry = models.CharField(_("labour sector"), max_length=60, blank=True,
                                       choices=LabourIndustry.choices)
    sexual_exploitation_types = models.JSONField(_("types of sexual exploitation"),
                                                 default=list, blank=True)
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    recruiter_relationship = models.CharField(_("relationship to the recruiter"), max_length=16,
                                              blank=True, choices=RecruiterRelationship.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-opened_on", "-id"]),
            models.Index(fields=["case_worker", "status"]),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return format_code(self.code)


class TraffickingEvent(models.Model):
    """HTCDS hte_: where and when recruitment, transit or exploitation took place."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(_("stage"), max_length=16, choices=EventStage.choices)
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(_("date precision"), max_length=10, blank=True,
                                      choices=DatePrecision.choices)
    description = EncryptedTextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("trafficking event")
        verbose_name_plural = _("trafficking events")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.stage} {self.country}"


class Consent(models.Model):
    """A person's consent for one purpose, given or refused, and perhaps withdrawn later."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    # For sharing with a named organisation.
    recipient = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+",
                                  verbose_name=_("organisation shared with"))
    given = models.BooleanField(_("given"))
    method = models.CharField(_("how"), max_length=12, choices=ConsentMethod.choices)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_for = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("recorded by organisation"))
    # A child's consent goes with a guardian's.
    guardian_name = EncryptedTextField(_("guardian"), blank=True)
    guardian_consented = models.BooleanField(_("guardian consented"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["purpose", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.purpose}: {'yes' if self.given else 'no'}"

    @property
    def in_force(self) -> bool:
        return self.given and self.withdrawn_at is None
