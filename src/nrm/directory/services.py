"""Every write to the directory. Each service checks who may change which organisation,
validates against ISO 3166 and ISO 639, writes, and audits in one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.countries import country_name, validate_country, validate_language, validate_region
from nrm.core.models import AuditAction
from nrm.directory.inputs import AgreementInput, OrganisationInput
from nrm.directory.models import (
    Agreement,
    Organisation,
    OrganisationKind,
    ServiceType,
    SexServed,
)
from nrm.directory.selectors import may_manage_organisations_in

# The Organisation fields an OrganisationInput sets directly (services are a relation).
ORGANISATION_FIELDS = (
    "name", "short_name", "kind", "country", "region", "city", "address", "phone", "email",
    "website", "languages", "is_first_responder", "is_competent_authority", "is_active",
    "coverage_regions", "sexes_accepted", "age_min", "age_max", "accompanied_children",
)
OLDEST_AGE = 120
MOST_PLACES = 100_000
_LIMITS = {"name": 200, "short_name": 40, "city": 100, "address": 300, "phone": 32,
           "email": 254, "website": 200}


def organisation_input_normalised(details: OrganisationInput) -> OrganisationInput:
    """The same input with text stripped, codes in their canonical case and no repeats."""
    return dataclasses.replace(
        details,
        name=details.name.strip(), short_name=details.short_name.strip(),
        kind=details.kind.strip(), country=details.country.strip().upper(),
        region=details.region.strip().upper(), city=details.city.strip(),
        address=details.address.strip(), phone=details.phone.strip(),
        email=details.email.strip(), website=details.website.strip(),
        languages=list(dict.fromkeys(code.strip().lower() for code in details.languages
                                     if code.strip())),
        services=list(dict.fromkeys(code.strip() for code in details.services if code.strip())),
        coverage_regions=sorted({code.strip().upper() for code in details.coverage_regions
                                 if code.strip()}),
        sexes_accepted=[sex for sex in SexServed.values if sex in set(details.sexes_accepted)]
        + sorted(set(details.sexes_accepted) - set(SexServed.values)),
    )


def organisation_input_validate(details: OrganisationInput) -> None:
    """Raise one ValidationError naming every field that is wrong (input already normalised)."""
    errors: dict[str, list[ValidationError | str]] = {}
    if not details.name:
        errors.setdefault("name", []).append(_("Enter the organisation's name."))
    for field, limit in _LIMITS.items():
        if len(getattr(details, field)) > limit:
            errors.setdefault(field, []).append(
                _("At most %(limit)s characters.") % {"limit": limit}
            )
    if details.kind not in OrganisationKind.values:
        errors.setdefault("kind", []).append(_("Choose one of the listed kinds of organisation."))
    for field, error in (*_place_errors(details), *_code_errors(details),
                         *_contact_errors(details), *_eligibility_errors(details)):
        errors.setdefault(field, []).append(error)
    if errors:
        raise ValidationError(errors)


def _place_errors(details: OrganisationInput) -> list[tuple[str, ValidationError]]:
    try:
        validate_country(details.country)
    except ValidationError as error:
        return [("country", error)]
    try:
        validate_region(details.country, details.region)
    except ValidationError as error:
        return [("region", error)]
    return []


def _code_errors(details: OrganisationInput) -> list[tuple[str, ValidationError | str]]:
    errors: list[tuple[str, ValidationError | str]] = []
    for code in details.languages:
        try:
            validate_language(code)
        except ValidationError as error:
            errors.append(("languages", error))
    known = set(ServiceType.objects.filter(code__in=details.services)
                .values_list("code", flat=True))
    errors.extend(
        ("services", _("“%(code)s” is not a service of the taxonomy.") % {"code": code})
        for code in details.services if code not in known
    )
    return errors


def _eligibility_errors(details: OrganisationInput) -> list[tuple[str, ValidationError | str]]:
    errors: list[tuple[str, ValidationError | str]] = []
    for region in details.coverage_regions:
        try:
            validate_region(region.split("-")[0], region)
        except ValidationError as error:
            errors.append(("coverage_regions", error))
    errors.extend(("sexes_accepted", _("Choose among the listed groups of people."))
                  for sex in details.sexes_accepted if sex not in SexServed.values)
    for field in ("age_min", "age_max"):
        age = getattr(details, field)
        if age is not None and not 0 <= age <= OLDEST_AGE:
            errors.append((field, _("Give an age between 0 and %(oldest)s.")
                           % {"oldest": OLDEST_AGE}))
    if (details.age_min is not None and details.age_max is not None
            and details.age_min > details.age_max):
        errors.append(("age_max", _("The oldest age cannot be below the youngest.")))
    return errors


def _contact_errors(details: OrganisationInput) -> list[tuple[str, ValidationError]]:
    errors: list[tuple[str, ValidationError]] = []
    if details.email:
        try:
            EmailValidator()(details.email)
        except ValidationError as error:
            errors.append(("email", error))
    if details.website:
        try:
            URLValidator(schemes=["http", "https"])(details.website)
        except ValidationError as error:
            errors.append(("website", error))
    return errors


def _require_manager(viewer: Viewer, country: str) -> None:
    if not may_manage_organisations_in(viewer, country):
        raise PermissionDenied(
            _("Only a national coordinator of %(country)s or a system admin may manage "
              "organisations there.") % {"country": country_name(country)}
        )


@transaction.atomic
def organisation_create(*, viewer: Viewer, details: OrganisationInput) -> Organisation:
    """Add an organisation to the directory (a coordinator only in their own country)."""
    details = organisation_input_normalised(details)
    _require_manager(viewer, details.country)
    organisation_input_validate(details)
    organisation = Organisation.objects.create(
        **{field: getattr(details, field) for field in ORGANISATION_FIELDS}
    )
    organisation.services.set(ServiceType.objects.filter(code__in=details.services))
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.ORGANISATION_CHANGED, obj=organisation,
                 fields=[*ORGANISATION_FIELDS, "services"], purpose="created")
    return organisation


@transaction.atomic
def organisation_update(
    *, viewer: Viewer, organisation: Organisation, details: OrganisationInput
) -> Organisation:
    """Change an organisation; a coordinator may neither change one of another country nor move
    one there. Only the fields that changed are audited."""
    details = organisation_input_normalised(details)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_manager(viewer, organisation.country)
    _require_manager(viewer, details.country)
    organisation_input_validate(details)
    changed = [field for field in ORGANISATION_FIELDS
               if getattr(organisation, field) != getattr(details, field)]
    for field in changed:
        setattr(organisation, field, getattr(details, field))
    if changed:
        organisation.save(update_fields=[*changed, "updated_at"])
    current_services = set(organisation.services.values_list("code", flat=True))
    if current_services != set(details.services):
        organisation.services.set(ServiceType.objects.filter(code__in=details.services))
        changed.append("services")
    if changed:
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.ORGANISATION_CHANGED, obj=organisation, fields=changed,
                     purpose="changed")
    return organisation


# --- capacity ---------------------------------------------------------------------------------

def may_update_capacity(viewer: Viewer, organisation: Organisation) -> bool:
    """An organisation's capacity is kept by its own admins and supervisors: they know tonight's
    beds; a coordinator in the capital does not."""
    return (viewer.organisation_id == organisation.pk
            and viewer.role in (Role.ORGANISATION_ADMIN, Role.SUPERVISOR))


@transaction.atomic
def organisation_capacity_set(
    *, viewer: Viewer, organisation: Organisation, places: int | None, free_places: int | None,
) -> Organisation:
    """Record how many places the organisation has and how many are free now, and when."""
    if not may_update_capacity(viewer, organisation):
        raise PermissionDenied(
            _("Only the organisation's own admins and supervisors may update its capacity."))
    for field, value in (("places", places), ("free_places", free_places)):
        if value is not None and not 0 <= value <= MOST_PLACES:
            raise ValidationError({field: _("Give a number between 0 and %(most)s.")
                                   % {"most": MOST_PLACES}})
    if places is not None and free_places is not None and free_places > places:
        raise ValidationError({"free_places": _("There cannot be more free places than places.")})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.places, organisation.free_places = places, free_places
    organisation.capacity_updated_at, organisation.capacity_updated_by = (
        timezone.now(), viewer.user)
    organisation.save(update_fields=["places", "free_places", "capacity_updated_at",
                                     "capacity_updated_by", "updated_at"])
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.ORGANISATION_CHANGED, obj=organisation,
                 fields=["places", "free_places"], purpose="capacity")
    return organisation


# --- agreements -------------------------------------------------------------------------------

AGREEMENT_FIELDS = ("title", "reference", "signed_document", "covers_referral",
                    "covers_data_sharing", "signed_on", "valid_from", "valid_until", "note")
_AGREEMENT_LIMITS = {"title": 200, "reference": 100, "signed_document": 300, "note": 2000}


def may_manage_agreement(viewer: Viewer, parties: Iterable[Organisation]) -> bool:
    """System admins keep every agreement; a national coordinator those with a party in their
    country. Party organisations' own admins may not: an agreement opens the way for personal
    data across borders, so the state's coordinator, not the organisation that gains, records
    it."""
    if viewer.role == Role.SYSTEM_ADMIN:
        return True
    return (viewer.role == Role.NATIONAL_COORDINATOR
            and any(party.country == viewer.country for party in parties))


def _agreement_normalised(details: AgreementInput) -> AgreementInput:
    return dataclasses.replace(
        details, title=details.title.strip(), reference=details.reference.strip(),
        signed_document=details.signed_document.strip(), note=details.note.strip(),
        party_ids=list(dict.fromkeys(details.party_ids)),
        services=list(dict.fromkeys(code.strip() for code in details.services if code.strip())),
    )


def _agreement_parties(details: AgreementInput) -> list[Organisation]:
    """The parties, or one ValidationError naming everything wrong with the agreement."""
    errors: dict[str, list[str]] = {}
    if not details.title:
        errors.setdefault("title", []).append(_("Give the agreement's title."))
    for field, limit in _AGREEMENT_LIMITS.items():
        if len(getattr(details, field)) > limit:
            errors.setdefault(field, []).append(_("At most %(limit)s characters.")
                                                % {"limit": limit})
    parties = list(Organisation.objects.filter(pk__in=details.party_ids))
    if len(parties) != len(details.party_ids):
        errors.setdefault("party_ids", []).append(
            _("Every party must be an organisation of the directory."))
    elif len(parties) < 2:
        errors.setdefault("party_ids", []).append(_("An agreement has at least two parties."))
    if details.valid_until is not None and details.valid_until < details.valid_from:
        errors.setdefault("valid_until", []).append(
            _("An agreement cannot end before it starts."))
    if details.signed_on is not None and details.signed_on > timezone.localdate():
        errors.setdefault("signed_on", []).append(_("The date cannot be in the future."))
    if not (details.covers_referral or details.covers_data_sharing):
        errors.setdefault("covers_referral", []).append(
            _("Say what the agreement covers: referral, sharing personal data, or both."))
    known = set(ServiceType.objects.filter(code__in=details.services)
                .values_list("code", flat=True))
    errors.setdefault("services", []).extend(
        _("“%(code)s” is not a service of the taxonomy.") % {"code": code[:40]}
        for code in details.services if code not in known)
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
    return parties


def _require_agreement_manager(viewer: Viewer, parties: Iterable[Organisation]) -> None:
    if not may_manage_agreement(viewer, parties):
        raise PermissionDenied(_(
            "Only a national coordinator of a party's country or a system admin may record "
            "agreements."))


def _agreement_write(agreement: Agreement, details: AgreementInput,
                     parties: list[Organisation]) -> list[str]:
    """Set the agreement's values; returns the names of those that changed."""
    changed = [field for field in AGREEMENT_FIELDS
               if agreement.pk is None or getattr(agreement, field) != getattr(details, field)]
    for field in AGREEMENT_FIELDS:
        setattr(agreement, field, getattr(details, field))
    agreement.save()
    if {party.pk for party in agreement.parties.all()} != {party.pk for party in parties}:
        agreement.parties.set(parties)
        changed.append("parties")
    if set(agreement.services.values_list("code", flat=True)) != set(details.services):
        agreement.services.set(ServiceType.objects.filter(code__in=details.services))
        changed.append("services")
    return changed


@transaction.atomic
def agreement_create(*, viewer: Viewer, details: AgreementInput) -> Agreement:
    """Record an agreement (MoU) between organisations of the directory."""
    details = _agreement_normalised(details)
    parties = _agreement_parties(details)
    _require_agreement_manager(viewer, parties)
    agreement = Agreement(created_by=viewer.user)
    changed = _agreement_write(agreement, details, parties)
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.AGREEMENT_CHANGED, obj=agreement, fields=changed,
                 purpose="created")
    return agreement


@transaction.atomic
def agreement_update(*, viewer: Viewer, agreement: Agreement,
                     details: AgreementInput) -> Agreement:
    """Change an agreement (its dates, when it ends early, what it covers); a coordinator may
    neither change one without a party of their country nor leave it without one."""
    details = _agreement_normalised(details)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _require_agreement_manager(viewer, agreement.parties.all())
    parties = _agreement_parties(details)
    _require_agreement_manager(viewer, parties)
    changed = _agreement_write(agreement, details, parties)
    if changed:
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.AGREEMENT_CHANGED, obj=agreement, fields=changed,
                     purpose="changed")
    return agreement
