"""Every write to criminal proceedings. Each service checks that the viewer works on the case,
validates, writes, and records the audit entry in the same transaction; nothing is left
half-written when it raises."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.codes import normalise_code
from nrm.core.models import AuditAction
from nrm.core.money import check_amount, check_currency
from nrm.directory.models import Organisation, OrganisationKind
from nrm.justice.access import LAW_ENFORCEMENT_KINDS, is_law_enforcement, works_on
from nrm.justice.choices import (
    STAGES_WITH_REASON,
    CompensationRoute,
    Cooperation,
    LegalAssistanceOutcome,
    OffenderOutcome,
    OffenderRole,
    ParticipantRole,
    Stage,
)
from nrm.justice.models import (
    CaseLink,
    Charge,
    Compensation,
    CriminalCase,
    CriminalCodeArticle,
    Hearing,
    LegalAssistanceRequest,
    Offender,
    Participant,
    Qualification,
    StageChange,
)
from nrm.registry import validation as check
from nrm.registry.choices import ConsentPurpose, Sex
from nrm.registry.models import Case, Consent


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _require_works_on(viewer: Viewer, criminal_case: CriminalCase) -> None:
    if not works_on(viewer, criminal_case):
        raise PermissionDenied(
            _("Only the investigating agency and the prosecutor's office may change this "
              "criminal case."))


def _audit(viewer: Viewer, action: AuditAction, obj: models.Model, *,
           fields: Iterable[str] = (), person_code: str = "") -> None:
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id, action=action,
                 obj=obj, fields=fields, person_code=person_code)


def _articles(field: str, article_ids: Iterable[int], country: str, *,
              required: bool = True) -> list[CriminalCodeArticle]:
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        if required:
            raise _refuse(field, _("Choose at least one article."))
        return []
    found = list(CriminalCodeArticle.objects.filter(pk__in=ids, country=country,
                                                    is_active=True))
    if len(found) != len(ids):
        raise _refuse(field, _("Choose articles in force of the criminal code of %(country)s.")
                      % {"country": country})
    return found


def _check_date(field: str, value: dt.date | None, *, not_before: dt.date | None = None,
                future: bool = False) -> None:
    if value is None:
        return
    if not future:
        check.check_not_future(field, value)
    if not_before is not None and value < not_before:
        raise _refuse(field, _("The date cannot be before %(date)s.")
                      % {"date": not_before.isoformat()})


def _choice(field: str, value: str, allowed: Iterable[str]) -> None:
    check.check_choices(field, [value], allowed)


def _text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise _refuse(field, _("This field is required."))
    if len(value) > limit:
        raise _refuse(field, _("Write at most %(limit)s characters.") % {"limit": limit})
    return value


@transaction.atomic
def criminal_case_open(
    *,
    viewer: Viewer,
    country: str,
    number: str,
    investigating_agency: Organisation,
    prosecutor_office: Organisation | None = None,
    opened_on: dt.date,
    article_ids: Iterable[int],
    unregistered_victims: int = 0,
) -> CriminalCase:
    """Record a criminal case with its first qualification and stage, by law enforcement on it."""
    if not is_law_enforcement(viewer) or viewer.organisation_id not in (
        investigating_agency.pk, prosecutor_office.pk if prosecutor_office else None,
    ):
        raise PermissionDenied(
            _("Only the investigating agency or the prosecutor's office may record a "
              "criminal case."))
    check.check_countries("country", [country])
    number = _text("number", number, 60, required=True)
    if investigating_agency.kind not in LAW_ENFORCEMENT_KINDS:
        raise _refuse("investigating_agency", _("Choose a law-enforcement organisation."))
    if investigating_agency.country != country:
        raise _refuse("investigating_agency",
                      _("The investigating agency must be of the case's country."))
    if prosecutor_office is not None and (
        prosecutor_office.kind != OrganisationKind.PROSECUTOR
        or prosecutor_office.country != country
    ):
        raise _refuse("prosecutor_office",
                      _("Choose a prosecutor's office of the case's country."))
    _check_date("opened_on", opened_on)
    if unregistered_victims < 0:
        raise _refuse("unregistered_victims", _("The number cannot be negative."))
    articles = _articles("article_ids", article_ids, country)
    if CriminalCase.objects.filter(country=country, number=number).exists():
        raise _refuse("number", _("A criminal case with this number is already recorded."))

    criminal_case = CriminalCase.objects.create(
        country=country, number=number, investigating_agency=investigating_agency,
        prosecutor_office=prosecutor_office, opened_on=opened_on,
        stage=Stage.PRELIMINARY_CHECK, stage_since=opened_on,
        unregistered_victims=unregistered_victims, created_by=viewer.user,
    )
    qualification = Qualification.objects.create(criminal_case=criminal_case,
                                                 valid_from=opened_on, recorded_by=viewer.user)
    qualification.articles.set(articles)
    StageChange.objects.create(criminal_case=criminal_case, stage=Stage.PRELIMINARY_CHECK,
                               on=opened_on, recorded_by=viewer.user)
    _audit(viewer, AuditAction.CRIMINAL_CASE_RECORDED, criminal_case,
           fields=["country", "number", "investigating_agency", "prosecutor_office",
                   "opened_on", "qualification", "stage", "unregistered_victims"])
    return criminal_case


@transaction.atomic
def qualification_change(
    *, viewer: Viewer, criminal_case: CriminalCase, article_ids: Iterable[int],
    valid_from: dt.date, reason: str,
) -> Qualification:
    """Requalify the case: a new version from a date; every earlier version is kept."""
    _require_works_on(viewer, criminal_case)
    articles = _articles("article_ids", article_ids, criminal_case.country)
    reason = _text("reason", reason, 2000, required=True)
    last = criminal_case.qualifications.order_by("-valid_from", "-recorded_at").first()
    _check_date("valid_from", valid_from,
                not_before=last.valid_from if last else criminal_case.opened_on)
    if last is not None and {a.pk for a in articles} == set(
        last.articles.values_list("pk", flat=True)
    ):
        raise _refuse("article_ids", _("These are already the case's articles."))
    qualification = Qualification.objects.create(criminal_case=criminal_case,
                                                 valid_from=valid_from, reason=reason,
                                                 recorded_by=viewer.user)
    qualification.articles.set(articles)
    _audit(viewer, AuditAction.QUALIFICATION_CHANGED, criminal_case,
           fields=["articles", "valid_from", "reason"])
    return qualification


@transaction.atomic
def stage_change(
    *, viewer: Viewer, criminal_case: CriminalCase, stage: str, on: dt.date, reason: str = "",
) -> StageChange:
    """Move the case to another stage from a date; every earlier stage stays on record."""
    _require_works_on(viewer, criminal_case)
    _choice("stage", stage, Stage.values)
    if stage == criminal_case.stage:
        raise _refuse("stage", _("The case is already at this stage."))
    reason = _text("reason", reason, 2000, required=stage in STAGES_WITH_REASON)
    _check_date("on", on, not_before=criminal_case.stage_since)
    change = StageChange.objects.create(criminal_case=criminal_case, stage=stage, on=on,
                                        reason=reason, recorded_by=viewer.user)
    criminal_case.stage, criminal_case.stage_since = stage, on
    criminal_case.save(update_fields=["stage", "stage_since"])
    _audit(viewer, AuditAction.CRIMINAL_CASE_CHANGED, criminal_case,
           fields=["stage", "stage_since"])
    return change


@transaction.atomic
def hearing_add(*, viewer: Viewer, criminal_case: CriminalCase, on: dt.date,
                court: str = "") -> Hearing:
    """Add a court hearing date (past or coming)."""
    _require_works_on(viewer, criminal_case)
    _check_date("on", on, not_before=criminal_case.opened_on, future=True)
    court = _text("court", court, 200)
    hearing = Hearing.objects.create(criminal_case=criminal_case, on=on, court=court)
    _audit(viewer, AuditAction.CRIMINAL_CASE_CHANGED, criminal_case, fields=["hearings"])
    return hearing


def _law_enforcement_consent_in_force(case: Case) -> bool:
    # The latest answer for the purpose decides: a later refusal overrides an earlier consent.
    latest = (Consent.objects.filter(person_id=case.person_id,
                                     purpose=ConsentPurpose.LAW_ENFORCEMENT)
              .order_by("-recorded_at", "-pk").first())
    return latest is not None and latest.in_force


def _participant_values(*, role: str, cooperation: str, declined_reason: str,
                        protection_measures: str, legal_representative: str) -> dict[str, str]:
    _choice("role", role, ParticipantRole.values)
    _choice("cooperation", cooperation, Cooperation.values)
    declined_reason = _text("declined_reason", declined_reason, 2000)
    if declined_reason and cooperation != Cooperation.DECLINED:
        raise _refuse("declined_reason",
                      _("Give a reason for declining only when the person declined."))
    return {
        "role": role, "cooperation": cooperation, "declined_reason": declined_reason,
        "protection_measures": _text("protection_measures", protection_measures, 2000),
        "legal_representative": _text("legal_representative", legal_representative, 300),
    }


@transaction.atomic
def participant_link(
    *, viewer: Viewer, criminal_case: CriminalCase, case_code: str, role: str,
    cooperation: str = Cooperation.NOT_ASKED, declined_reason: str = "",
    protection_measures: str = "", legal_representative: str = "", interpreter: bool = False,
    psychologist: bool = False,
) -> Participant:
    """Link a registered person's case, by its code, as a victim or witness; only with the
    person's consent to law enforcement in force, or when the case is the viewer's own
    organisation's."""
    _require_works_on(viewer, criminal_case)
    code = normalise_code(case_code or "")
    case = Case.objects.filter(code=code).first() if code else None
    if case is None:
        raise _refuse("case_code", _("No registered case has this code. Check it with the "
                                     "person's case worker."))
    if case.organisation_id != viewer.organisation_id and not _law_enforcement_consent_in_force(
        case
    ):
        raise _refuse("case_code", _("The person has no consent to contact with law "
                                     "enforcement in force. Ask their case worker to record "
                                     "it first."))
    values = _participant_values(
        role=role, cooperation=cooperation, declined_reason=declined_reason,
        protection_measures=protection_measures, legal_representative=legal_representative)
    if Participant.objects.filter(criminal_case=criminal_case, case=case).exists():
        raise _refuse("case_code", _("This person is already linked to the criminal case."))
    participant = Participant.objects.create(criminal_case=criminal_case, case=case,
                                             interpreter=interpreter, psychologist=psychologist,
                                             **values)
    _audit(viewer, AuditAction.PARTICIPANT_CHANGED, participant, person_code=case.person.code,
           fields=["case", *values, "interpreter", "psychologist"])
    return participant


@transaction.atomic
def participant_update(
    *, viewer: Viewer, participant: Participant, role: str | None = None,
    cooperation: str | None = None, declined_reason: str | None = None,
    protection_measures: str | None = None, legal_representative: str | None = None,
    interpreter: bool | None = None, psychologist: bool | None = None,
) -> Participant:
    """Change a victim's or witness's role, cooperation and support; None leaves a field."""
    _require_works_on(viewer, participant.criminal_case)
    given = {"role": role, "cooperation": cooperation, "declined_reason": declined_reason,
             "protection_measures": protection_measures,
             "legal_representative": legal_representative}
    values = _participant_values(**{
        name: value if value is not None else getattr(participant, name)
        for name, value in given.items()
    })
    flags = {"interpreter": interpreter, "psychologist": psychologist}
    changed = [name for name, value in values.items() if getattr(participant, name) != value]
    changed += [name for name, value in flags.items()
                if value is not None and getattr(participant, name) != value]
    for name in changed:
        setattr(participant, name, values[name] if name in values else flags[name])
    if changed:
        participant.save(update_fields=changed)
        _audit(viewer, AuditAction.PARTICIPANT_CHANGED, participant,
               person_code=participant.case.person.code, fields=changed)
    return participant


@transaction.atomic
def unregistered_victims_set(*, viewer: Viewer, criminal_case: CriminalCase,
                             count: int) -> CriminalCase:
    """Set how many victims the investigation knows of who are not registered in the NRM."""
    _require_works_on(viewer, criminal_case)
    if count < 0:
        raise _refuse("unregistered_victims", _("The number cannot be negative."))
    criminal_case.unregistered_victims = count
    criminal_case.save(update_fields=["unregistered_victims"])
    _audit(viewer, AuditAction.CRIMINAL_CASE_CHANGED, criminal_case,
           fields=["unregistered_victims"])
    return criminal_case


@transaction.atomic
def offender_add(
    *, viewer: Viewer, criminal_case: CriminalCase, label: str, sex: str = "",
    birth_year: int | None = None, citizenship: str = "", roles: Iterable[str],
    article_ids: Iterable[int] = (),
) -> Offender:
    """Record an accused person under a pseudonym, with roles and the articles charged."""
    _require_works_on(viewer, criminal_case)
    label = _text("label", label, 20, required=True)
    if sex:
        _choice("sex", sex, Sex.values)
    check.check_birth_year(birth_year)
    if citizenship:
        check.check_countries("citizenship", [citizenship])
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise _refuse("roles", _("Choose at least one role."))
    check.check_choices("roles", roles, OffenderRole.values)
    articles = _articles("article_ids", article_ids, criminal_case.country, required=False)
    if criminal_case.offenders.filter(label=label).exists():
        raise _refuse("label", _("Another offender in this case has this label."))
    offender = Offender.objects.create(criminal_case=criminal_case, label=label, sex=sex,
                                       birth_year=birth_year, citizenship=citizenship,
                                       roles=roles)
    Charge.objects.bulk_create([Charge(offender=offender, article=a) for a in articles])
    _audit(viewer, AuditAction.OFFENDER_CHANGED, offender,
           fields=["label", "sex", "birth_year", "citizenship", "roles", "charges"])
    return offender


@transaction.atomic
def offender_outcome(
    *, viewer: Viewer, offender: Offender, outcome: str, outcome_on: dt.date | None,
    sentence_months: int | None = None, sentence_suspended: bool = False,
    assets_confiscated: Decimal | int | str | None = None, assets_currency: str = "",
) -> Offender:
    """Record what became of an offender: verdict, sentence and assets confiscated."""
    criminal_case = offender.criminal_case
    _require_works_on(viewer, criminal_case)
    _choice("outcome", outcome, OffenderOutcome.values)
    if outcome != OffenderOutcome.PENDING and outcome_on is None:
        raise _refuse("outcome_on", _("Give the date of the outcome."))
    _check_date("outcome_on", outcome_on, not_before=criminal_case.opened_on)
    if outcome != OffenderOutcome.CONVICTED and (sentence_months or sentence_suspended):
        raise _refuse("sentence_months", _("Only a convicted offender has a sentence."))
    if sentence_months is not None and sentence_months < 0:
        raise _refuse("sentence_months", _("The number cannot be negative."))
    assets = check_amount("assets_confiscated", assets_confiscated)
    currency = check_currency("assets_currency", assets_currency) if assets is not None else ""
    offender.outcome, offender.outcome_on = outcome, outcome_on
    offender.sentence_months, offender.sentence_suspended = sentence_months, sentence_suspended
    offender.assets_confiscated, offender.assets_currency = assets, currency
    offender.save()
    fields = ["outcome", "outcome_on", "sentence_months", "sentence_suspended",
              "assets_confiscated", "assets_currency"]
    _audit(viewer, AuditAction.OFFENDER_CHANGED, offender, fields=fields)
    return offender


@transaction.atomic
def case_link(
    *, viewer: Viewer, from_case: CriminalCase, to_case: CriminalCase | None = None,
    to_country: str = "", to_number: str = "", note: str = "",
) -> CaseLink:
    """Link the viewer's case to another, perhaps in another country, found by country and
    number (or given)."""
    _require_works_on(viewer, from_case)
    if to_case is None:
        check.check_countries("to_country", [to_country])
        to_case = CriminalCase.objects.filter(country=to_country,
                                              number=to_number.strip()).first()
        if to_case is None:
            raise _refuse("to_number", _("No criminal case with this number is recorded in "
                                         "that country."))
    if to_case.pk == from_case.pk:
        raise _refuse("to_number", _("A case cannot be linked to itself."))
    note = _text("note", note, 300)
    if CaseLink.objects.filter(from_case=from_case, to_case=to_case).exists() or (
        CaseLink.objects.filter(from_case=to_case, to_case=from_case).exists()
    ):
        raise _refuse("to_number", _("The two cases are already linked."))
    link = CaseLink.objects.create(from_case=from_case, to_case=to_case, note=note,
                                   recorded_by=viewer.user)
    _audit(viewer, AuditAction.CRIMINAL_CASE_CHANGED, from_case, fields=["links"])
    return link


@transaction.atomic
def legal_assistance_record(
    *, viewer: Viewer, criminal_case: CriminalCase, requesting_country: str,
    requested_country: str, subject: str, sent_on: dt.date,
    answer_due_on: dt.date | None = None,
) -> LegalAssistanceRequest:
    """Record a request for mutual legal assistance sent or received for the case."""
    _require_works_on(viewer, criminal_case)
    check.check_countries("requesting_country", [requesting_country])
    check.check_countries("requested_country", [requested_country])
    if requesting_country == requested_country:
        raise _refuse("requested_country", _("The two countries must differ."))
    if criminal_case.country not in (requesting_country, requested_country):
        raise _refuse("requesting_country",
                      _("One of the two countries must be the case's country."))
    subject = _text("subject", subject, 300, required=True)
    _check_date("sent_on", sent_on, not_before=criminal_case.opened_on)
    _check_date("answer_due_on", answer_due_on, not_before=sent_on, future=True)
    request = LegalAssistanceRequest.objects.create(
        criminal_case=criminal_case, requesting_country=requesting_country,
        requested_country=requested_country, subject=subject, sent_on=sent_on,
        answer_due_on=answer_due_on)
    _audit(viewer, AuditAction.LEGAL_ASSISTANCE_CHANGED, request,
           fields=["requesting_country", "requested_country", "subject", "sent_on",
                   "answer_due_on"])
    return request


@transaction.atomic
def legal_assistance_answer(*, viewer: Viewer, request: LegalAssistanceRequest,
                            answered_on: dt.date, outcome: str) -> LegalAssistanceRequest:
    """Record the answer to a request for legal assistance."""
    _require_works_on(viewer, request.criminal_case)
    _choice("outcome", outcome, LegalAssistanceOutcome.values)
    if outcome == LegalAssistanceOutcome.PENDING:
        raise _refuse("outcome", _("Choose what the answer was."))
    _check_date("answered_on", answered_on, not_before=request.sent_on)
    request.answered_on, request.outcome = answered_on, outcome
    request.save(update_fields=["answered_on", "outcome"])
    _audit(viewer, AuditAction.LEGAL_ASSISTANCE_CHANGED, request,
           fields=["answered_on", "outcome"])
    return request


def _compensation_values(
    *, route: str, currency: str, claimed: Decimal | int | str | None,
    claimed_on: dt.date | None, awarded: Decimal | int | str | None,
    awarded_on: dt.date | None, paid: Decimal | int | str | None, paid_on: dt.date | None,
) -> dict[str, object]:
    _choice("route", route, CompensationRoute.values)
    values: dict[str, object] = {"route": route, "currency": check_currency("currency", currency)}
    amounts = {name: check_amount(name, value)
               for name, value in (("claimed", claimed), ("awarded", awarded), ("paid", paid))}
    if amounts["paid"] is not None and amounts["awarded"] is not None and (
        amounts["paid"] > amounts["awarded"]
    ):
        raise _refuse("paid", _("More cannot be paid than was awarded."))
    for name, on in (("claimed", claimed_on), ("awarded", awarded_on), ("paid", paid_on)):
        _check_date(f"{name}_on", on)
        values[name], values[f"{name}_on"] = amounts[name], on
    return values


def _require_compensation_writer(viewer: Viewer, participant: Participant) -> None:
    # The victim's own case workers follow the claim too: they help the person file it.
    own_case_worker = (viewer.works_cases
                       and participant.case.organisation_id == viewer.organisation_id)
    if not (works_on(viewer, participant.criminal_case) or own_case_worker):
        raise PermissionDenied(_("Only law enforcement on the case or the person's case "
                                 "workers may record compensation."))


@transaction.atomic
def compensation_record(
    *, viewer: Viewer, participant: Participant, route: str, currency: str,
    claimed: Decimal | int | str | None = None, claimed_on: dt.date | None = None,
    awarded: Decimal | int | str | None = None, awarded_on: dt.date | None = None,
    paid: Decimal | int | str | None = None, paid_on: dt.date | None = None,
) -> Compensation:
    """Record a victim's compensation claim, award and payment by one route."""
    _require_compensation_writer(viewer, participant)
    values = _compensation_values(route=route, currency=currency, claimed=claimed,
                                  claimed_on=claimed_on, awarded=awarded, awarded_on=awarded_on,
                                  paid=paid, paid_on=paid_on)
    compensation = Compensation.objects.create(participant=participant, **values)
    _audit(viewer, AuditAction.COMPENSATION_CHANGED, compensation,
           person_code=participant.case.person.code, fields=list(values))
    return compensation


@transaction.atomic
def compensation_update(
    *, viewer: Viewer, compensation: Compensation, route: str, currency: str,
    claimed: Decimal | int | str | None = None, claimed_on: dt.date | None = None,
    awarded: Decimal | int | str | None = None, awarded_on: dt.date | None = None,
    paid: Decimal | int | str | None = None, paid_on: dt.date | None = None,
) -> Compensation:
    """Bring a compensation record up to date (an award, a payment), under the same rules."""
    participant = compensation.participant
    _require_compensation_writer(viewer, participant)
    values = _compensation_values(route=route, currency=currency, claimed=claimed,
                                  claimed_on=claimed_on, awarded=awarded, awarded_on=awarded_on,
                                  paid=paid, paid_on=paid_on)
    changed = [name for name, value in values.items() if getattr(compensation, name) != value]
    for name in changed:
        setattr(compensation, name, values[name])
    if changed:
        compensation.save(update_fields=changed)
        _audit(viewer, AuditAction.COMPENSATION_CHANGED, compensation,
               person_code=participant.case.person.code, fields=changed)
    return compensation
