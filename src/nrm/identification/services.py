"""Every write of identification: screenings, referrals for a decision, status decisions, appeals
and each country's rules. Each service checks permission, validates, writes, and records the audit
entry in the same transaction; nothing is left half-written when it raises.

A status decision never requires a criminal case: nothing here looks for one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.roles import REGISTERING_ROLES, Role
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.countries import validate_country
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.identification import deadlines, logic
from nrm.identification.choices import (
    Answer,
    AppealOutcome,
    DecisionRequestStatus,
    IndicatorSet,
    ScreeningResult,
    ScreeningStatus,
    VictimStatus,
)
from nrm.identification.models import (
    Appeal,
    CountryRules,
    DecisionRequest,
    IndicatorCatalogue,
    Screening,
    ScreeningAnswer,
    StatusDecision,
)
from nrm.identification.selectors import indicators_for_screening, is_deciding
from nrm.registry import validation as check
from nrm.registry.models import Case

ADULT_AGE = 18
OLDEST_AGE = 120
LONGEST_DEADLINE_DAYS = 365
LONGEST_RECOVERY_DAYS = 3650
POSITIVE_STATUSES = frozenset({VictimStatus.PRESUMED, VictimStatus.IDENTIFIED})


def _audit(viewer: Viewer, action: AuditAction, obj: object, case: Case, *,
           fields: Iterable[str] = (), purpose: str = "") -> None:
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id, action=action,
                 obj=obj, person_code=case.person.code,  # type: ignore[arg-type]
                 fields=fields, purpose=purpose)


def _require_first_responder(viewer: Viewer, case: Case) -> None:
    if (viewer.role not in REGISTERING_ROLES or case.organisation_id != viewer.organisation_id
            or not viewer.membership.organisation.is_first_responder):
        raise PermissionDenied(
            _("Only case workers of the case's organisation, a first responder, may do this."))


def _require_text(field: str, value: str, message: str) -> str:
    if not value.strip():
        raise ValidationError({field: message})
    return value.strip()


def _check_date(field: str, value: dt.date, *, not_before: dt.date | None = None) -> None:
    check.check_not_future(field, value)
    if not_before is not None and value < not_before:
        raise ValidationError({field: _("The date cannot be before %(date)s.")
                               % {"date": not_before.isoformat()}})


# --- screenings -------------------------------------------------------------------------------

@transaction.atomic
def screening_start(
    *, viewer: Viewer, case: Case, language: str = "", indicator_set: str = "",
    age_at_recruitment: int | None = None, age_disputed: bool = False,
) -> Screening:
    """Start a screening interview on a case of the viewer's first-responder organisation, with
    the current catalogue."""
    _require_first_responder(viewer, case)
    if language:
        check.check_languages("language", [language])
    if indicator_set:
        check.check_choices("indicator_set", [indicator_set], IndicatorSet.values)
    if age_at_recruitment is not None and not 0 <= age_at_recruitment <= OLDEST_AGE:
        raise ValidationError({"age_at_recruitment": _("The age must be between 0 and 120.")})
    catalogue = IndicatorCatalogue.objects.filter(is_current=True).order_by(
        "-published_on", "-version").first()
    if catalogue is None:
        raise ValidationError(_("No indicator catalogue is published yet."))
    screening = Screening.objects.create(
        case=case, catalogue=catalogue, organisation_id=viewer.organisation_id,
        screener=viewer.user, language=language, indicator_set=indicator_set,
        age_at_recruitment=age_at_recruitment, age_disputed=age_disputed,
    )
    _audit(viewer, AuditAction.SCREENING_STARTED, screening, case,
           purpose=f"catalogue {catalogue.version}")
    return screening


def _require_screener(viewer: Viewer, screening: Screening) -> None:
    if (viewer.role not in REGISTERING_ROLES
            or screening.organisation_id != viewer.organisation_id):
        raise PermissionDenied(_("Only the screening organisation's case workers may do this."))
    if screening.status != ScreeningStatus.IN_PROGRESS:
        raise ValidationError(_("This screening is completed and can no longer change."))


@transaction.atomic
def screening_answer(
    *, viewer: Viewer, screening: Screening, answers: Mapping[str, tuple[str, str]],
) -> Screening:
    """Record answers (indicator code → (answer, note)) while the screening is in progress."""
    _require_screener(viewer, screening)
    indicators = {indicator.code: indicator
                  for indicator in indicators_for_screening(screening=screening)
                  .filter(code__in=list(answers))}
    unknown = sorted(code for code in answers if code not in indicators)
    if unknown:
        raise ValidationError({"answers": _("These indicators are not in this screening: "
                                            "%(codes)s.") % {"codes": ", ".join(unknown)[:200]}})
    check.check_choices("answers", [answer for answer, _note in answers.values()],
                        Answer.values)
    existing = {row.indicator_id: row for row in screening.answers.all()}
    new_rows = []
    for code, (answer, note) in answers.items():
        indicator = indicators[code]
        row = existing.get(indicator.pk)
        if row is None:
            new_rows.append(ScreeningAnswer(screening=screening, indicator=indicator,
                                            answer=answer, note=note.strip()))
        elif (row.answer, row.note) != (answer, note.strip()):
            row.answer, row.note = answer, note.strip()
            row.save(update_fields=["answer", "note"])
    ScreeningAnswer.objects.bulk_create(new_rows)
    _audit(viewer, AuditAction.SCREENING_ANSWERED, screening, screening.case,
           fields=["answers"], purpose=f"{len(answers)} answer(s)")
    return screening


def screening_is_child(screening: Screening) -> bool:
    """Under 18 at recruitment, or of disputed age: a child until the age is assessed."""
    return screening.age_disputed or (
        screening.age_at_recruitment is not None and screening.age_at_recruitment < ADULT_AGE)


@transaction.atomic
def screening_complete(
    *, viewer: Viewer, screening: Screening, judgement: str, judgement_note: str,
) -> Screening:
    """Compute and keep the result with its explanation, beside the screener's judgement."""
    _require_screener(viewer, screening)
    if not judgement:
        raise ValidationError({"judgement": _("Record your professional judgement.")})
    check.check_choices("judgement", [judgement], ScreeningResult.values)
    given = {row.indicator_id: row.answer for row in screening.answers.all()}
    # A question left unanswered is unknown, so that it never reads as a "no".
    answered = [(indicator, given.get(indicator.pk, Answer.UNKNOWN))
                for indicator in indicators_for_screening(screening=screening)]
    assessment = logic.assess(answers=answered, child=screening_is_child(screening))
    result = str(assessment.result)
    if judgement != result and not judgement_note.strip():
        raise ValidationError({"judgement_note": _(
            "Your judgement differs from the computed result: say why.")})
    screening.computed_result = result
    screening.explanation = assessment.to_json()
    screening.judgement = judgement
    screening.judgement_note = judgement_note.strip()
    screening.status = ScreeningStatus.COMPLETED
    screening.completed_at = timezone.now()
    screening.save()
    _audit(viewer, AuditAction.SCREENING_COMPLETED, screening, screening.case,
           fields=["computed_result", "explanation", "judgement", "judgement_note"],
           purpose=result)
    return screening


# --- referral and decision ----------------------------------------------------------------------

@transaction.atomic
def decision_request(
    *, viewer: Viewer, case: Case, competent_authority: Organisation, note: str = "",
) -> DecisionRequest:
    """Refer a case to a competent authority for a status decision; the deadline starts today."""
    if viewer.role not in REGISTERING_ROLES or case.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only the case's organisation may refer it for a decision."))
    if not (competent_authority.is_competent_authority and competent_authority.is_active):
        raise ValidationError({"competent_authority": _(
            "That organisation is not a competent authority for victim status.")})
    if DecisionRequest.objects.filter(case=case, competent_authority=competent_authority,
                                      status=DecisionRequestStatus.PENDING).exists():
        raise ValidationError({"competent_authority": _(
            "This case already awaits a decision of that authority.")})
    today = timezone.localdate()
    request = DecisionRequest.objects.create(
        case=case, competent_authority=competent_authority, requested_by=viewer.user,
        requested_for_id=case.organisation_id, requested_on=today,
        due_on=deadlines.decision_due(deadlines.rules_for(competent_authority.country), today),
        note=note.strip(),
    )
    _audit(viewer, AuditAction.DECISION_REQUESTED, request, case,
           purpose=f"due {request.due_on.isoformat()}")
    return request


def _recovery_end(case: Case, status: str, authority: Organisation,
                  decided_on: dt.date) -> dt.date | None:
    """A positive reasonable-grounds decision starts the period; a conclusive one keeps the
    period already running (or starts one, if no reasonable-grounds decision came first)."""
    if status not in POSITIVE_STATUSES:
        return None
    if status == VictimStatus.IDENTIFIED:
        earlier = (StatusDecision.objects.filter(case=case, recovery_period_ends__isnull=False)
                   .order_by("-decided_on", "-created_at").values_list(
                       "recovery_period_ends", flat=True).first())
        if earlier is not None:
            return earlier
    return deadlines.recovery_period_end(deadlines.rules_for(authority.country), decided_on)


def _decision_create(
    *, viewer: Viewer, case: Case, status: str, decided_on: dt.date, reasons: str,
    legal_basis: str, screening_ids: Iterable[int] = (), request: DecisionRequest | None = None,
    replaces: StatusDecision | None = None,
) -> StatusDecision:
    check.check_choices("status", [status], VictimStatus.values)
    _check_date("decided_on", decided_on)
    reasons = _require_text("reasons", reasons, _("Give the reasons for the decision."))
    legal_basis = _require_text("legal_basis", legal_basis, _("Give the legal basis."))
    ids = set(screening_ids)
    screenings = list(Screening.objects.filter(pk__in=ids, case=case,
                                               status=ScreeningStatus.COMPLETED))
    if len(screenings) != len(ids):
        raise ValidationError({"screening_ids": _(
            "Rely only on completed screenings of this case.")})
    authority = viewer.membership.organisation
    decision = StatusDecision.objects.create(
        case=case, request=request, competent_authority=authority, decided_by=viewer.user,
        status=status, decided_on=decided_on, reasons=reasons, legal_basis=legal_basis[:300],
        replaces=replaces,
        recovery_period_ends=_recovery_end(case, status, authority, decided_on),
    )
    decision.screenings.set(screenings)
    if request is not None and request.status == DecisionRequestStatus.PENDING:
        request.status = DecisionRequestStatus.DECIDED
        request.save(update_fields=["status"])
    _audit(viewer, AuditAction.STATUS_DECIDED, decision, case,
           fields=["status", "decided_on", "reasons", "legal_basis", "recovery_period_ends"],
           purpose=status)
    return decision


@transaction.atomic
def status_decide(
    *, viewer: Viewer, case: Case, status: str, decided_on: dt.date, reasons: str,
    legal_basis: str, screening_ids: Iterable[int] = (), request: DecisionRequest | None = None,
) -> StatusDecision:
    """Decide a person's victim status, as a decision maker of a competent authority the case
    was referred to (or that owns it). No criminal case is needed.

    The referral stays the authority's after its first decision, so that the conclusive
    decision follows the reasonable-grounds one without a second referral."""
    if not is_deciding(viewer):
        raise PermissionDenied(
            _("Only a decision maker of a competent authority may decide victim status."))
    referrals = DecisionRequest.objects.filter(
        case=case, competent_authority_id=viewer.organisation_id,
    ).exclude(status=DecisionRequestStatus.WITHDRAWN)
    pending = referrals.filter(status=DecisionRequestStatus.PENDING)
    if request is not None:
        if request.pk not in set(pending.values_list("pk", flat=True)):
            raise ValidationError({"request": _(
                "That referral is not awaiting your authority's decision on this case.")})
    else:
        # A conclusive decision follows the reasonable-grounds one on the same referral.
        request = (pending.order_by("requested_on", "id").first()
                   or referrals.order_by("-requested_on", "-id").first())
    if request is None and case.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("This case was not referred to your authority."))
    if request is not None:
        _check_date("decided_on", decided_on, not_before=request.requested_on)
    return _decision_create(viewer=viewer, case=case, status=status, decided_on=decided_on,
                            reasons=reasons, legal_basis=legal_basis,
                            screening_ids=screening_ids, request=request)


# --- appeals ----------------------------------------------------------------------------------

@transaction.atomic
def appeal_lodge(
    *, viewer: Viewer, decision: StatusDecision, lodged_on: dt.date, body: str, grounds: str,
    representative: str = "",
) -> Appeal:
    """Record an appeal against a negative decision, for the case's organisation or the
    authority that decided."""
    case = decision.case
    if not viewer.works_cases or viewer.organisation_id not in (
            case.organisation_id, decision.competent_authority_id):
        raise PermissionDenied(_(
            "Only the case's organisation or the deciding authority may record an appeal."))
    if decision.status != VictimStatus.NOT_A_VICTIM:
        raise ValidationError(_("Only a negative decision can be appealed."))
    if StatusDecision.objects.filter(replaces=decision).exists():
        raise ValidationError(_("This decision was already replaced."))
    if decision.appeals.filter(outcome=AppealOutcome.PENDING).exists():
        raise ValidationError(_("An appeal against this decision is already pending."))
    _check_date("lodged_on", lodged_on, not_before=decision.decided_on)
    appeal = Appeal.objects.create(
        decision=decision, lodged_on=lodged_on,
        body=_require_text("body", body, _("Name the body that hears the appeal."))[:200],
        grounds=_require_text("grounds", grounds, _("Give the grounds of the appeal.")),
        representative=representative.strip(), recorded_by=viewer.user,
        organisation_id=viewer.organisation_id,
    )
    _audit(viewer, AuditAction.APPEAL_LODGED, appeal, case,
           fields=["lodged_on", "body", "grounds", "representative"])
    return appeal


@transaction.atomic
def appeal_decide(
    *, viewer: Viewer, appeal: Appeal, outcome: str, outcome_on: dt.date, new_status: str = "",
    reasons: str = "", legal_basis: str = "",
) -> Appeal:
    """Record the outcome of an appeal; an overturned decision is replaced by a new one, linked,
    and both stay in the history."""
    decision = appeal.decision
    if not is_deciding(viewer) or decision.competent_authority_id != viewer.organisation_id:
        raise PermissionDenied(_(
            "Only a decision maker of the authority that decided may record the outcome."))
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError(_("The outcome of this appeal is already recorded."))
    check.check_choices("outcome", [outcome], [AppealOutcome.UPHELD, AppealOutcome.OVERTURNED])
    _check_date("outcome_on", outcome_on, not_before=appeal.lodged_on)
    if outcome == AppealOutcome.OVERTURNED:
        if new_status not in POSITIVE_STATUSES:
            raise ValidationError({"new_status": _(
                "An overturned decision needs the new status: presumed or identified victim.")})
        appeal.new_decision = _decision_create(
            viewer=viewer, case=decision.case, status=new_status, decided_on=outcome_on,
            reasons=reasons, legal_basis=legal_basis, request=decision.request,
            replaces=decision)
    appeal.outcome = outcome
    appeal.outcome_on = outcome_on
    appeal.save(update_fields=["outcome", "outcome_on", "new_decision"])
    _audit(viewer, AuditAction.APPEAL_DECIDED, appeal, decision.case,
           fields=["outcome", "outcome_on", "new_decision"], purpose=outcome)
    return appeal


# --- country rules ----------------------------------------------------------------------------

def _check_holidays(holidays: Iterable[str]) -> list[str]:
    cleaned = []
    for holiday in holidays:
        text = str(holiday).strip()
        try:
            if len(text) == 5:  # "MM-DD", every year; 2000 is a leap year, so 02-29 passes
                dt.date.fromisoformat(f"2000-{text}")
            else:
                dt.date.fromisoformat(text)
                if len(text) != 10:
                    raise ValueError(text)
        except ValueError:
            raise ValidationError({"holidays": _(
                "“%(value)s” is not a holiday. Write YYYY-MM-DD, or MM-DD for every year.")
                % {"value": text[:20]}}) from None
        cleaned.append(text)
    return sorted(set(cleaned))


@transaction.atomic
def country_rules_set(
    *, viewer: Viewer, country: str, decision_deadline_days: int,
    deadline_in_working_days: bool, weekend: Iterable[int], holidays: Iterable[str],
    recovery_period_days: int,
) -> CountryRules:
    """Set a country's deadlines and recovery period, as its national coordinator or a system
    admin. The recovery period is never shorter than 30 days."""
    country = country.strip().upper()
    if not (viewer.role == Role.SYSTEM_ADMIN
            or (viewer.role == Role.NATIONAL_COORDINATOR and viewer.country == country)):
        raise PermissionDenied(_("Only the country's national coordinator may set its rules."))
    try:
        validate_country(country)
    except ValidationError as exc:
        raise ValidationError({"country": exc.messages}) from None
    if not 1 <= decision_deadline_days <= LONGEST_DEADLINE_DAYS:
        raise ValidationError({"decision_deadline_days": _(
            "The deadline must be between 1 and 365 days.")})
    days_off = sorted(set(weekend))
    if any(not isinstance(day, int) or not 1 <= day <= 7 for day in days_off):
        raise ValidationError({"weekend": _(
            "Weekend days are numbers from 1 (Monday) to 7 (Sunday).")})
    if len(days_off) >= 7:
        raise ValidationError({"weekend": _("At least one day of the week must be a working day.")})
    if not deadlines.MINIMUM_RECOVERY_DAYS <= recovery_period_days <= LONGEST_RECOVERY_DAYS:
        raise ValidationError({"recovery_period_days": _(
            "The recovery and reflection period must be at least %(days)s days.")
            % {"days": deadlines.MINIMUM_RECOVERY_DAYS}})
    values = {
        "decision_deadline_days": decision_deadline_days,
        "deadline_in_working_days": deadline_in_working_days,
        "weekend": days_off,
        "holidays": _check_holidays(holidays),
        "recovery_period_days": recovery_period_days,
    }
    rules = CountryRules.objects.filter(country=country).first() or CountryRules(country=country)
    changed = [name for name, value in values.items()
               if rules.pk is None or getattr(rules, name) != value]
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.COUNTRY_RULES_CHANGED, obj=rules, fields=changed,
                 purpose=country)
    return rules
