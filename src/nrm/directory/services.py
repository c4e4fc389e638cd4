"""Every write to the directory. Each service checks who may change which organisation,
validates against ISO 3166 and ISO 639, writes, and audits in one transaction."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.countries import country_name, validate_country, validate_language, validate_region
from nrm.core.models import AuditAction
from nrm.directory.inputs import OrganisationInput
from nrm.directory.models import Organisation, OrganisationKind, ServiceType
from nrm.directory.selectors import may_manage_organisations_in

# The Organisation fields an OrganisationInput sets directly (services are a relation).
ORGANISATION_FIELDS = (
    "name", "short_name", "kind", "country", "region", "city", "address", "phone", "email",
    "website", "languages", "is_first_responder", "is_competent_authority", "is_active",
)
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
                         *_contact_errors(details)):
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
