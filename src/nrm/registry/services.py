"""Every write to the registry. Each service checks permission, validates, writes, and records
the audit entry in the same transaction; nothing is left half-written when it raises."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.models import Membership, User
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.codes import new_code
from nrm.core.crypto import blind_digest
from nrm.core.dates import DatePrecision
from nrm.core.models import AuditAction
from nrm.core.names import name_keys, transliterate
from nrm.core.submissions import submission_claim
from nrm.directory.models import Organisation
from nrm.registry import validation as check
from nrm.registry.choices import (
    AgeBand,
    CaseStatus,
    ConsentMethod,
    ConsentPurpose,
    EntryPoint,
    EventStage,
    ExploitationType,
    LabourIndustry,
    MeansOfControl,
    RecruiterRelationship,
    RecruitmentMethod,
    Sex,
    SexualExploitationType,
)
from nrm.registry.inputs import CaseInput, ConsentInput, EventInput, IdentityInput, PersonInput
from nrm.registry.models import Case, Consent, Identity, NameToken, Person, TraffickingEvent

NAME_DOMAIN = "name"
IDENTITY_FIELDS = (
    "given_name", "patronymic", "family_name", "latin_name", "aliases", "birth_date",
    "documents", "phones", "addresses",
)
CASE_FIELDS = tuple(f.name for f in dataclasses.fields(CaseInput))


def _require_registering(viewer: Viewer) -> None:
    if not viewer.registers:
        raise PermissionDenied(_("Your role does not allow registering persons."))


def _require_case_worker(viewer: Viewer, case: Case) -> None:
    if not viewer.works_cases or case.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only your organisation's case workers may change this case."))


def _unique_code(model: type[Person] | type[Case]) -> str:
    # 31^8 ≈ 8.5·10^11 codes: a clash is rare, and the unique index catches it if it happens.
    for _attempt in range(5):
        code = new_code()
        if not model.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not draw a free pseudonymous code")


def _validate_person(person: PersonInput) -> None:
    check.check_choices("sex", [person.sex], Sex.values)
    check.check_birth_year(person.birth_year)
    if person.age_band:
        check.check_choices("age_band", [person.age_band], AgeBand.values)
    check.check_countries("citizenships", person.citizenships)
    check.check_languages("languages", person.languages)


def _identity_values(identity: IdentityInput) -> dict[str, object]:
    parsed = check.check_partial_date("birth_date", identity.birth_date)
    for document in identity.documents:
        if document.country:
            check.check_countries("documents", [document.country])
    if not (identity.given_name or identity.family_name or identity.aliases):
        raise ValidationError({"given_name": _("Give at least a name or an alias.")})
    latin = identity.latin_name.strip() or transliterate(
        " ".join(p for p in (identity.given_name, identity.patronymic, identity.family_name) if p)
    )
    precision = ""
    birth_date = ""
    if parsed is not None:
        value, parsed_precision = parsed
        precision = DatePrecision.ESTIMATED if identity.birth_date_estimated else parsed_precision
        birth_date = value.isoformat()
    return {
        "given_name": identity.given_name.strip(),
        "patronymic": identity.patronymic.strip(),
        "family_name": identity.family_name.strip(),
        "latin_name": latin,
        "aliases": [alias.strip() for alias in identity.aliases if alias.strip()],
        "birth_date": birth_date,
        "birth_date_precision": precision,
        "documents": [dataclasses.asdict(document) for document in identity.documents],
        "phones": [phone.strip() for phone in identity.phones if phone.strip()],
        "addresses": [address.strip() for address in identity.addresses if address.strip()],
    }


def _validate_case(case: CaseInput, *, organisation_id: int) -> None:
    check.check_choices("entry_point", [case.entry_point], EntryPoint.values)
    check.check_choices("status", [case.status], CaseStatus.values)
    check.check_not_future("opened_on", case.opened_on)
    check.check_choices("exploitation_types", case.exploitation_types, ExploitationType.values)
    if case.labour_industry:
        check.check_choices("labour_industry", [case.labour_industry], LabourIndustry.values)
    check.check_choices("sexual_exploitation_types", case.sexual_exploitation_types,
                        SexualExploitationType.values)
    check.check_choices("means_of_control", case.means_of_control, MeansOfControl.values)
    check.check_choices("recruitment_methods", case.recruitment_methods, RecruitmentMethod.values)
    if case.recruiter_relationship:
        check.check_choices("recruiter_relationship", [case.recruiter_relationship],
                            RecruiterRelationship.values)
    if case.case_worker_id is not None and not Membership.objects.active().filter(
        user_id=case.case_worker_id, organisation_id=organisation_id
    ).exists():
        raise ValidationError(
            {"case_worker_id": _("The case worker must belong to the case's organisation.")}
        )


def _validate_event(event: EventInput) -> tuple[dt.date | None, str]:
    check.check_choices("events", [event.stage], EventStage.values)
    check.check_countries("events", [event.country])
    check.check_region("events", event.country, event.region)
    parsed = check.check_partial_date("events", event.date)
    if parsed is None:
        return None, ""
    return parsed[0], parsed[1]


def _validate_consent(consent: ConsentInput) -> None:
    check.check_choices("consents", [consent.purpose], ConsentPurpose.values)
    check.check_choices("consents", [consent.method], ConsentMethod.values)
    if consent.purpose == ConsentPurpose.SHARE_ORGANISATION and consent.recipient_id is None:
        raise ValidationError(
            {"consents": _("Name the organisation that the person agrees to share with.")}
        )
    # Checked for every purpose: an unknown id would only fail when the transaction commits.
    if consent.recipient_id is not None and not Organisation.objects.filter(
        pk=consent.recipient_id
    ).exists():
        raise ValidationError({"consents": _("That organisation is not in the directory.")})


def identity_name_digests(values: dict[str, object]) -> set[str]:
    """The blind-index digests of an identity's names: given, patronymic, family, Latin, aliases.

    Also used by `nrm seed` and `nrm reindex_names`, so that every path indexes alike."""
    names = [str(values[key] or "")
             for key in ("given_name", "patronymic", "family_name", "latin_name")]
    names += [str(alias) for alias in values["aliases"] or ()]  # type: ignore[attr-defined]
    return {blind_digest(NAME_DOMAIN, key) for key in name_keys(*names)}


def _index_names(person: Person, values: dict[str, object]) -> None:
    """Replace the person's blind-index tokens with those of the current identity."""
    digests = identity_name_digests(values)
    NameToken.objects.filter(person=person).delete()
    NameToken.objects.bulk_create(
        NameToken(person=person, organisation_id=person.organisation_id, digest=digest)
        for digest in sorted(digests)
    )


def name_query_digests(text: str) -> set[str]:
    """The blind-index digests that a search for ``text`` looks up."""
    return {blind_digest(NAME_DOMAIN, key) for key in name_keys(text)}


@transaction.atomic
def person_register(
    *,
    viewer: Viewer,
    person: PersonInput,
    identity: IdentityInput,
    case: CaseInput,
    events: Iterable[EventInput] = (),
    consents: Iterable[ConsentInput] = (),
    submission_key: str | None = None,
) -> Case:
    """Register a person with their identity and open their first case, in one step."""
    _require_registering(viewer)
    events, consents = list(events), list(consents)
    _validate_person(person)
    identity_values = _identity_values(identity)
    _validate_case(case, organisation_id=viewer.organisation_id)
    parsed_events = [_validate_event(event) for event in events]
    for consent in consents:
        _validate_consent(consent)

    new_person = Person.objects.create(
        code=_unique_code(Person),
        organisation_id=viewer.organisation_id,
        sex=person.sex,
        birth_year=person.birth_year,
        age_band=person.age_band,
        citizenships=sorted(set(person.citizenships)),
        languages=list(dict.fromkeys(person.languages)),
        created_by=viewer.user,
    )
    Identity.objects.create(person=new_person, **identity_values)
    _index_names(new_person, identity_values)
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id,
        action=AuditAction.PERSON_REGISTERED, obj=new_person, person_code=new_person.code,
        fields=[key for key, value in identity_values.items() if value],
    )
    new_case = _case_create(viewer=viewer, person=new_person, case=case)
    for event, (date, precision) in zip(events, parsed_events, strict=True):
        TraffickingEvent.objects.create(
            case=new_case, stage=event.stage, country=event.country, region=event.region,
            city=event.city, date=date, date_precision=precision, description=event.description,
        )
    if events:
        audit_record(
            actor=viewer.user, organisation_id=viewer.organisation_id,
            action=AuditAction.EVENT_RECORDED, obj=new_case, person_code=new_person.code,
            fields=["events"],
        )
    for consent in consents:
        _consent_create(viewer=viewer, person=new_person, consent=consent)
    submission_claim(key=submission_key, actor=viewer.user, obj=new_case)
    return new_case


def _case_create(*, viewer: Viewer, person: Person, case: CaseInput) -> Case:
    new_case = Case.objects.create(
        code=_unique_code(Case),
        person=person,
        organisation_id=viewer.organisation_id,
        case_worker_id=case.case_worker_id or viewer.user.pk,
        status=case.status,
        opened_on=case.opened_on or timezone.localdate(),
        entry_point=case.entry_point,
        exploitation_types=list(dict.fromkeys(case.exploitation_types)),
        labour_industry=case.labour_industry,
        sexual_exploitation_types=list(dict.fromkeys(case.sexual_exploitation_types)),
        means_of_control=list(dict.fromkeys(case.means_of_control)),
        recruitment_methods=list(dict.fromkeys(case.recruitment_methods)),
        recruiter_relationship=case.recruiter_relationship,
        created_by=viewer.user,
    )
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id, action=AuditAction.CASE_OPENED,
        obj=new_case, person_code=person.code, fields=CASE_FIELDS,
    )
    return new_case


@transaction.atomic
def case_open(*, viewer: Viewer, person: Person, case: CaseInput) -> Case:
    """Open another case for a person of the viewer's organisation."""
    _require_registering(viewer)
    if person.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only your organisation's persons can be given a case here."))
    _validate_case(case, organisation_id=viewer.organisation_id)
    return _case_create(viewer=viewer, person=person, case=case)


@transaction.atomic
def case_update(*, viewer: Viewer, case: Case, changes: CaseInput) -> Case:
    """Change a case's description (entry point, exploitation, control, recruitment, worker)."""
    _require_case_worker(viewer, case)
    _validate_case(changes, organisation_id=case.organisation_id)
    if changes.status in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED):
        raise ValidationError({"status": _("Close a case with “Close case”, giving a reason.")})
    changed: list[str] = []
    new_values = {
        "entry_point": changes.entry_point,
        "status": changes.status,
        "opened_on": changes.opened_on or case.opened_on,
        "case_worker_id": changes.case_worker_id or case.case_worker_id,
        "exploitation_types": list(dict.fromkeys(changes.exploitation_types)),
        "labour_industry": changes.labour_industry,
        "sexual_exploitation_types": list(dict.fromkeys(changes.sexual_exploitation_types)),
        "means_of_control": list(dict.fromkeys(changes.means_of_control)),
        "recruitment_methods": list(dict.fromkeys(changes.recruitment_methods)),
        "recruiter_relationship": changes.recruiter_relationship,
    }
    for name, value in new_values.items():
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    if changed:
        case.save()
        audit_record(
            actor=viewer.user, organisation_id=viewer.organisation_id,
            action=AuditAction.CASE_CHANGED, obj=case, person_code=case.person.code,
            fields=changed,
        )
    return case


@transaction.atomic
def case_close(
    *, viewer: Viewer, case: Case, closed_on: dt.date, reason: str, referred: bool = False
) -> Case:
    """Close a case with a date and a reason."""
    _require_case_worker(viewer, case)
    check.check_not_future("closed_on", closed_on)
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is closed.")})
    case.status = CaseStatus.CLOSED_REFERRED if referred else CaseStatus.CLOSED
    case.closed_on = closed_on
    case.closure_reason = reason.strip()
    case.save(update_fields=["status", "closed_on", "closure_reason", "updated_at"])
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id, action=AuditAction.CASE_CLOSED,
        obj=case, person_code=case.person.code, fields=["status", "closed_on", "closure_reason"],
    )
    return case


@transaction.atomic
def case_assign(*, viewer: Viewer, case: Case, case_worker: User) -> Case:
    """Give a case to another case worker of the same organisation."""
    _require_case_worker(viewer, case)
    _validate_case(dataclasses.replace(CaseInput(), case_worker_id=case_worker.pk),
                   organisation_id=case.organisation_id)
    case.case_worker = case_worker
    case.save(update_fields=["case_worker", "updated_at"])
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id, action=AuditAction.CASE_CHANGED,
        obj=case, person_code=case.person.code, fields=["case_worker"],
    )
    return case


@transaction.atomic
def event_record(*, viewer: Viewer, case: Case, event: EventInput) -> TraffickingEvent:
    """Add a recruitment, transit or exploitation event to a case."""
    _require_case_worker(viewer, case)
    date, precision = _validate_event(event)
    created = TraffickingEvent.objects.create(
        case=case, stage=event.stage, country=event.country, region=event.region,
        city=event.city, date=date, date_precision=precision, description=event.description,
    )
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id,
        action=AuditAction.EVENT_RECORDED, obj=created, person_code=case.person.code,
        fields=["stage", "country", "region", "city", "date", "description"],
    )
    return created


@transaction.atomic
def identity_update(*, viewer: Viewer, person: Person, identity: IdentityInput) -> Identity:
    """Replace a person's identity data and re-index their names."""
    if not viewer.sees_identity or person.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only your organisation's case workers may change identities."))
    values = _identity_values(identity)
    record = Identity.objects.select_for_update().get(person=person)
    changed = [key for key, value in values.items() if getattr(record, key) != value]
    for key, value in values.items():
        setattr(record, key, value)
    record.save()
    _index_names(person, values)
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id,
        action=AuditAction.IDENTITY_CHANGED, obj=person, person_code=person.code, fields=changed,
    )
    return record


def _consent_create(*, viewer: Viewer, person: Person, consent: ConsentInput) -> Consent:
    created = Consent.objects.create(
        person=person, purpose=consent.purpose, recipient_id=consent.recipient_id,
        given=consent.given, method=consent.method, recorded_by=viewer.user,
        recorded_for_id=viewer.organisation_id, guardian_name=consent.guardian_name,
        guardian_consented=consent.guardian_consented,
    )
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id,
        action=AuditAction.CONSENT_RECORDED, obj=created, person_code=person.code,
        fields=["purpose", "given", "method"], purpose=consent.purpose,
    )
    return created


@transaction.atomic
def consent_record(*, viewer: Viewer, person: Person, consent: ConsentInput) -> Consent:
    """Record a consent given or refused for one purpose."""
    if not viewer.works_cases or person.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only your organisation's case workers may record consent."))
    _validate_consent(consent)
    return _consent_create(viewer=viewer, person=person, consent=consent)


@transaction.atomic
def consent_withdraw(*, viewer: Viewer, consent: Consent) -> Consent:
    """Withdraw a consent; it stays on record, marked withdrawn."""
    person = consent.person
    if not viewer.works_cases or person.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only your organisation's case workers may record consent."))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = viewer.user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id,
        action=AuditAction.CONSENT_WITHDRAWN, obj=consent, person_code=person.code,
        fields=["withdrawn_at"], purpose=consent.purpose,
    )
    return consent


