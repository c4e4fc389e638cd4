"""Every write of referrals: sending one, each step of its answer and its work, cancelling,
expiry, and the response deadlines of a country. Each service checks permission, validates,
writes, records the audit entry and the status history in the same transaction, and notifies
the other side (in the app at once, by e-mail when the transaction commits).

Status: sent → accepted / declined; accepted → in progress → completed; the referrer may cancel
while it is open; unanswered past its expiry it expires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nrm.accounts.models import User
from nrm.accounts.roles import REGISTERING_ROLES, Role
from nrm.accounts.services import notify
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.codes import new_code
from nrm.core.countries import country_name, validate_country
from nrm.core.jobs import ProgressReport, no_progress
from nrm.core.models import AuditAction, SubmissionReceipt
from nrm.core.submissions import DuplicateSubmissionError, submission_claim
from nrm.directory.models import Agreement, Organisation
from nrm.directory.taxonomy import SERVICE_TYPES
from nrm.referrals import sharing
from nrm.referrals.choices import OPEN_STATUSES, ReferralStatus, Urgency
from nrm.referrals.consent import ConsentCheck, consent_check
from nrm.referrals.deadlines import LONGEST_HOURS, deadline_for
from nrm.referrals.models import Referral, ReferralStatusChange, ResponseDeadlines
from nrm.registry.models import Case
from nrm.registry.selectors import identity_for_viewer

NOTE_LIMIT = 2000
REASON_LIMIT = 1000
MAX_CHILDREN = 20

# Notifications: English text marked for translation, filled and translated for each reader.
# Never a person's name: only the referral's code and organisations.
RECEIVED = {
    Urgency.EMERGENCY: gettext_noop(
        "Emergency referral %(code)s from %(organisation)s: answer by %(due)s."),
    Urgency.URGENT: gettext_noop(
        "Urgent referral %(code)s from %(organisation)s: answer by %(due)s."),
    Urgency.ROUTINE: gettext_noop(
        "New referral %(code)s from %(organisation)s: answer by %(due)s."),
}
ACCEPTED = gettext_noop("Referral %(code)s was accepted by %(organisation)s.")
DECLINED = gettext_noop("Referral %(code)s was declined by %(organisation)s.")
STARTED = gettext_noop("%(organisation)s started work on referral %(code)s.")
COMPLETED = gettext_noop("%(organisation)s completed referral %(code)s.")
CANCELLED = gettext_noop("Referral %(code)s from %(organisation)s was cancelled.")
OVERDUE_TO_RECEIVER = gettext_noop(
    "Referral %(code)s from %(organisation)s is overdue: please answer it.")
OVERDUE_TO_REFERRER = gettext_noop(
    "Referral %(code)s to %(organisation)s is overdue: no answer yet.")
EXPIRED_TO_RECEIVER = gettext_noop(
    "Referral %(code)s from %(organisation)s expired unanswered.")
EXPIRED_TO_REFERRER = gettext_noop(
    "Referral %(code)s to %(organisation)s expired unanswered: consider another organisation.")


# --- helpers ------------------------------------------------------------------------------------

def _person_code(referral: Referral) -> str:
    case = referral.case or referral.receiving_case
    return case.person.code if case is not None else ""


def _audit(viewer: Viewer | None, action: AuditAction, referral: Referral, *,
           fields: Iterable[str] = (), purpose: str = "") -> None:
    audit_record(actor=viewer.user if viewer else None,
                 organisation_id=viewer.organisation_id if viewer else None, action=action,
                 obj=referral, person_code=_person_code(referral), fields=fields,
                 purpose=purpose)


def _step(referral: Referral, status: str, *, at: dt.datetime, viewer: Viewer | None,
          reason: str = "") -> None:
    ReferralStatusChange.objects.create(
        referral=referral, status=status, at=at, by=viewer.user if viewer else None,
        organisation_id=viewer.organisation_id if viewer else None, reason=reason)


def _url(referral: Referral) -> str:
    return reverse("referrals:referral", args=[referral.display_code])


def _members_who_act(organisation_id: int | None) -> list[User]:
    """The members of an organisation who answer and work referrals."""
    if organisation_id is None:
        return []
    return list(User.objects.filter(
        memberships__organisation_id=organisation_id, memberships__is_active=True,
        memberships__role__in=[int(role) for role in REGISTERING_ROLES], is_active=True,
    ).distinct())


def _referrers(referral: Referral) -> list[User]:
    """Who sent the referral and the case's responsible case worker."""
    users = [referral.sent_by] if referral.sent_by else []
    if referral.case is not None and referral.case.case_worker is not None:
        users.append(referral.case.case_worker)
    return users


def _tell_receiver(referral: Referral, message: str, **params: str) -> None:
    notify(users=_members_who_act(referral.to_organisation_id), message=message,
           params={"code": referral.display_code, "organisation": referral.sender_label,
                   **params},
           url=_url(referral), organisation_id=referral.to_organisation_id)


def _tell_referrer(referral: Referral, message: str) -> None:
    notify(users=_referrers(referral), message=message,
           params={"code": referral.display_code,
                   "organisation": str(referral.to_organisation)},
           url=_url(referral), organisation_id=referral.from_organisation_id)


def _text(field: str, value: str, limit: int, *, required: str = "") -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError({field: _("Write at most %(limit)s characters.")
                               % {"limit": limit}})
    return value


def _locked(referral: Referral) -> Referral:
    """The referral's row, locked until the transaction ends, so that two answers (or an
    answer and expiry) cannot both win."""
    return Referral.objects.select_for_update().select_related(
        "case__person", "case__case_worker", "from_organisation", "to_organisation",
        "sent_by").get(pk=referral.pk)


def _require_status(referral: Referral, allowed: Iterable[str], message: str) -> None:
    """Refuse a step the referral's status does not allow; ``message`` names its status."""
    if referral.status not in set(allowed):
        raise ValidationError(message % {"status": referral.get_status_display()})


def _require_receiver(viewer: Viewer, referral: Referral) -> None:
    if (viewer.role not in REGISTERING_ROLES
            or referral.to_organisation_id != viewer.organisation_id):
        raise PermissionDenied(
            _("Only case workers of the receiving organisation may answer this referral."))


def _require_referrer(viewer: Viewer, referral: Referral) -> None:
    if (viewer.role not in REGISTERING_ROLES
            or referral.from_organisation_id != viewer.organisation_id):
        raise PermissionDenied(
            _("Only case workers of the referring organisation may cancel this referral."))


# --- sending --------------------------------------------------------------------------------

def _check_services(receiver: Organisation, services: list[str]) -> list[str]:
    services = list(dict.fromkeys(code.strip() for code in services if code.strip()))
    if not services:
        raise ValidationError({"services": _("Choose at least one service to ask for.")})
    unknown = [code for code in services if code not in SERVICE_TYPES]
    if unknown:
        raise ValidationError({"services": _("“%(code)s” is not a service of the taxonomy.")
                               % {"code": unknown[0][:40]}})
    offered = set(receiver.services.values_list("code", flat=True))
    missing = [str(SERVICE_TYPES[code]) for code in services if code not in offered]
    if missing:
        raise ValidationError({"services": _(
            "%(organisation)s does not offer: %(services)s. Ask only for services it offers, "
            "or choose another organisation.") % {"organisation": receiver,
                                                   "services": ", ".join(missing)}})
    return services


def _check_shared_fields(fields: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(fields))
    unknown = [code for code in chosen if code not in sharing.SHAREABLE]
    if unknown:
        raise ValidationError({"shared_fields": _("“%(code)s” is not a field that may be "
                                                  "shared.") % {"code": unknown[0][:40]}})
    return chosen


def _minimum_labels() -> str:
    return ", ".join(str(sharing.SHAREABLE[code].label).lower()
                     for code in ("sex", "age_band", "languages"))


def _check_consent(*, viewer: Viewer, check: ConsentCheck, urgency: str, shared: list[str],
                   override_reason: str, receiver: Organisation) -> bool:
    """Pass the consent gate, or raise; True when a supervisor's override carries it."""
    if check.passes:
        if override_reason:
            raise ValidationError({"override_reason": _(
                "The person has consented: no override is needed. Leave the reason empty.")})
        return False
    if check.cross_border is not None:
        if check.cross_border != "given":
            raise ValidationError({"consent": _(
                "%(organisation)s is in another country: the person must consent to sharing "
                "across borders (now: %(state)s). No one may override this.")
                % {"organisation": receiver, "state": check.cross_border_label}})
        raise ValidationError({"consent": _(
            "The person must consent to sharing with %(organisation)s (now: %(state)s). Across "
            "a border no one may override this.") % {"organisation": receiver,
                                                     "state": check.sharing_label}})
    if not override_reason:
        raise ValidationError({"consent": _(
            "The person must consent to sharing with %(organisation)s (now: %(state)s). Record "
            "the consent on the case first; in an emergency a supervisor may override a missing "
            "consent, with a reason.") % {"organisation": receiver,
                                          "state": check.sharing_label}})
    if not check.overridable:
        raise ValidationError({"override_reason": _(
            "The person's answer is on record (%(state)s): it cannot be overridden.")
            % {"state": check.sharing_label}})
    if viewer.role != Role.SUPERVISOR:
        raise PermissionDenied(_("Only a supervisor may override a missing consent."))
    if urgency != Urgency.EMERGENCY:
        raise ValidationError({"urgency": _(
            "A missing consent may be overridden only in an emergency.")})
    beyond = [code for code in shared if code not in sharing.EMERGENCY_MINIMUM]
    if beyond:
        raise ValidationError({"shared_fields": _(
            "Without the person's consent only the minimum may be shared: %(fields)s.")
            % {"fields": _minimum_labels()}})
    return True


def _agreement_for(*, sender: Organisation, receiver: Organisation, services: list[str],
                   shared: list[str]) -> Agreement:
    """The agreement in force that lets this cross-border referral go, or a clear refusal."""
    today = timezone.localdate()
    in_force = list(Agreement.objects.in_force(today).between(sender, receiver)
                    .filter(covers_referral=True).prefetch_related("services"))
    names = {"sender": sender, "receiver": receiver}
    if not in_force:
        raise ValidationError({"receiver": _(
            "A referral across the border needs an agreement in force between %(sender)s and "
            "%(receiver)s that covers referral. There is none: ask your national coordinator.")
            % names})
    personal = any(code not in sharing.EMERGENCY_MINIMUM for code in shared)
    if personal:
        in_force = [agreement for agreement in in_force if agreement.covers_data_sharing]
        if not in_force:
            raise ValidationError({"shared_fields": _(
                "The agreement between %(sender)s and %(receiver)s does not cover sharing "
                "personal data: share only the minimum (%(fields)s).")
                % {**names, "fields": _minimum_labels()}})
    for agreement in in_force:
        covered = {service.code for service in agreement.services.all()}
        if not covered or set(services) <= covered:
            return agreement
    raise ValidationError({"services": _(
        "The agreement between %(sender)s and %(receiver)s does not cover every service asked "
        "for.") % names})


@transaction.atomic
def referral_send(
    *, viewer: Viewer, case: Case, receiver: Organisation, services: list[str], urgency: str,
    shared_fields: Iterable[str], note: str = "", accompanying_children: int = 0,
    override_reason: str = "", submission_key: str | None = None,
) -> Referral:
    """Refer a case of the viewer's organisation to another, sharing exactly the fields chosen,
    once the consent gate (or a supervisor's emergency override, same country only) and, across
    a border, an agreement in force allow it."""
    if viewer.role not in REGISTERING_ROLES or case.organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only case workers of the case's organisation may refer it."))
    # A form sent twice is told so before any check that the first sending now fails.
    earlier = SubmissionReceipt.objects.filter(key=submission_key[:64]).first() if (
        submission_key) else None
    if earlier is not None:
        raise DuplicateSubmissionError(earlier)
    sender = viewer.membership.organisation
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose how urgent the referral is.")})
    if not receiver.is_active or receiver.pk == sender.pk:
        raise ValidationError({"receiver": _(
            "Choose another active organisation of the directory.")})
    if not 0 <= accompanying_children <= MAX_CHILDREN:
        raise ValidationError({"accompanying_children": _(
            "Give a number of children between 0 and %(max)s.") % {"max": MAX_CHILDREN}})
    note = _text("note", note, NOTE_LIMIT)
    override_reason = _text("override_reason", override_reason, REASON_LIMIT)
    services = _check_services(receiver, services)
    shared = _check_shared_fields(shared_fields)
    if Referral.objects.filter(case=case, to_organisation=receiver,
                               status__in=OPEN_STATUSES).exists():
        raise ValidationError({"receiver": _(
            "This case already has an open referral to %(organisation)s.")
            % {"organisation": receiver}})
    person = case.person
    check = consent_check(person=person, organisation=receiver, from_country=sender.country)
    overridden = _check_consent(viewer=viewer, check=check, urgency=urgency, shared=shared,
                                override_reason=override_reason, receiver=receiver)
    agreement = None
    if receiver.country != sender.country:
        agreement = _agreement_for(sender=sender, receiver=receiver, services=services,
                                   shared=shared)

    identity = None
    if any(sharing.SHAREABLE[code].group == sharing.IDENTITY for code in shared):
        identity = identity_for_viewer(viewer=viewer, person=person, purpose="referral")
    now = timezone.now()
    deadline = deadline_for(country=receiver.country, urgency=urgency, sent_at=now)
    referral = Referral.objects.create(
        code=_unique_code(), case=case, from_organisation=sender, from_country=sender.country,
        sender_name=sender.name, sent_by=viewer.user, to_organisation=receiver,
        to_country=receiver.country, services_requested=services, urgency=urgency,
        accompanying_children=accompanying_children, note=note,
        shared_fields=shared, shared=sharing.shared_snapshot(case, identity, shared),
        consent_overridden=overridden, override_reason=override_reason if overridden else "",
        agreement=agreement, sex=person.sex, age_band=sharing.age_band_of(person),
        sent_at=now, due_at=deadline.due_at, expires_at=deadline.expires_at,
    )
    _step(referral, ReferralStatus.SENT, at=now, viewer=viewer)
    if overridden:
        _audit(viewer, AuditAction.CONSENT_OVERRIDDEN, referral, fields=shared,
               purpose=f"emergency referral to organisation {receiver.pk}, same country")
    _audit(viewer, AuditAction.REFERRAL_SENT, referral, fields=[sharing.ALWAYS, *shared],
           purpose=f"to organisation {receiver.pk}")
    submission_claim(key=submission_key, actor=viewer.user, obj=referral)
    _tell_receiver(referral, RECEIVED[Urgency(urgency)],
                   due=timezone.localtime(referral.due_at).strftime("%Y-%m-%d %H:%M"))
    return referral


def _unique_code() -> str:
    for _attempt in range(5):
        code = new_code()
        if not Referral.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not draw a free referral code")


# --- the receiving organisation's answer and work ----------------------------------------------

@transaction.atomic
def referral_accept(*, viewer: Viewer, referral: Referral) -> Referral:
    """Accept a sent referral (even overdue, until it expires): the receiving organisation now
    sees the shared fields and works on the case."""
    referral = _locked(referral)
    _require_receiver(viewer, referral)
    _require_status(referral, [ReferralStatus.SENT], _(
        "Only a referral waiting for an answer can be accepted; this one is: %(status)s."))
    now = timezone.now()
    referral.status, referral.responded_at, referral.responded_by = (
        ReferralStatus.ACCEPTED, now, viewer.user)
    referral.save(update_fields=["status", "responded_at", "responded_by", "updated_at"])
    _step(referral, ReferralStatus.ACCEPTED, at=now, viewer=viewer)
    _audit(viewer, AuditAction.REFERRAL_ACCEPTED, referral, fields=["status"])
    _tell_referrer(referral, ACCEPTED)
    return referral


@transaction.atomic
def referral_decline(*, viewer: Viewer, referral: Referral, reason: str) -> Referral:
    """Decline a sent referral, saying why, so that the referrer can look elsewhere."""
    referral = _locked(referral)
    _require_receiver(viewer, referral)
    _require_status(referral, [ReferralStatus.SENT], _(
        "Only a referral waiting for an answer can be declined; this one is: %(status)s."))
    reason = _text("reason", reason, REASON_LIMIT,
                   required=_("Say why you decline, so that the referrer can look elsewhere."))
    now = timezone.now()
    referral.status, referral.responded_at, referral.responded_by = (
        ReferralStatus.DECLINED, now, viewer.user)
    referral.decline_reason = reason
    referral.save(update_fields=["status", "responded_at", "responded_by", "decline_reason",
                                 "updated_at"])
    _step(referral, ReferralStatus.DECLINED, at=now, viewer=viewer, reason=reason)
    _audit(viewer, AuditAction.REFERRAL_DECLINED, referral, fields=["status", "decline_reason"])
    _tell_referrer(referral, DECLINED)
    return referral


@transaction.atomic
def referral_start(*, viewer: Viewer, referral: Referral) -> Referral:
    """Mark an accepted referral in progress: the services have begun."""
    referral = _locked(referral)
    _require_receiver(viewer, referral)
    _require_status(referral, [ReferralStatus.ACCEPTED], _(
        "Only an accepted referral can be started; this one is: %(status)s."))
    now = timezone.now()
    referral.status, referral.started_at = ReferralStatus.IN_PROGRESS, now
    referral.save(update_fields=["status", "started_at", "updated_at"])
    _step(referral, ReferralStatus.IN_PROGRESS, at=now, viewer=viewer)
    _audit(viewer, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
           purpose=ReferralStatus.IN_PROGRESS)
    _tell_referrer(referral, STARTED)
    return referral


@transaction.atomic
def referral_complete(*, viewer: Viewer, referral: Referral, note: str = "") -> Referral:
    """Mark a referral in progress completed: the services asked for were given."""
    referral = _locked(referral)
    _require_receiver(viewer, referral)
    _require_status(referral, [ReferralStatus.IN_PROGRESS], _(
        "Only a referral in progress can be completed; this one is: %(status)s."))
    note = _text("note", note, NOTE_LIMIT)
    now = timezone.now()
    referral.status, referral.completed_at, referral.completion_note = (
        ReferralStatus.COMPLETED, now, note)
    referral.save(update_fields=["status", "completed_at", "completion_note", "updated_at"])
    _step(referral, ReferralStatus.COMPLETED, at=now, viewer=viewer, reason=note)
    _audit(viewer, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
           purpose=ReferralStatus.COMPLETED)
    _tell_referrer(referral, COMPLETED)
    return referral


@transaction.atomic
def referral_cancel(*, viewer: Viewer, referral: Referral, reason: str) -> Referral:
    """Cancel an open referral as the referring organisation; the receiver sees no more of the
    case from then on."""
    referral = _locked(referral)
    _require_referrer(viewer, referral)
    _require_status(referral, OPEN_STATUSES, _(
        "Only an open referral can be cancelled; this one is: %(status)s."))
    reason = _text("reason", reason, REASON_LIMIT,
                   required=_("Say why you cancel the referral."))
    now = timezone.now()
    referral.status, referral.closed_at, referral.cancel_reason = (
        ReferralStatus.CANCELLED, now, reason)
    referral.save(update_fields=["status", "closed_at", "cancel_reason", "updated_at"])
    _step(referral, ReferralStatus.CANCELLED, at=now, viewer=viewer, reason=reason)
    _audit(viewer, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
           purpose=ReferralStatus.CANCELLED)
    _tell_receiver(referral, CANCELLED)
    return referral


# --- deadlines ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExpiryRun:
    overdue: int  # newly overdue: both sides told
    expired: int


@transaction.atomic
def referrals_expire(*, now: dt.datetime | None = None,
                     progress: ProgressReport = no_progress) -> ExpiryRun:
    """Tell both sides once of each referral that has just passed its deadline unanswered, and
    expire those unanswered past their expiry. Run by `nrm referrals_expire` (cron)."""
    now = now or timezone.now()
    waiting = Referral.objects.filter(status=ReferralStatus.SENT)
    overdue = list(waiting.filter(due_at__lte=now, expires_at__gt=now,
                                  overdue_notified_at__isnull=True).values_list("pk", flat=True))
    expiring = list(waiting.filter(expires_at__lte=now).values_list("pk", flat=True))
    total = len(overdue) + len(expiring)
    done = 0
    for pk in overdue:
        referral = _locked(Referral(pk=pk))
        if referral.status == ReferralStatus.SENT and referral.overdue_notified_at is None:
            referral.overdue_notified_at = now
            referral.save(update_fields=["overdue_notified_at"])
            _tell_receiver(referral, OVERDUE_TO_RECEIVER)
            _tell_referrer(referral, OVERDUE_TO_REFERRER)
        done += 1
        progress(done, total, "overdue")
    expired = 0
    for pk in expiring:
        referral = _locked(Referral(pk=pk))
        if referral.status == ReferralStatus.SENT:
            referral.status, referral.closed_at = ReferralStatus.EXPIRED, now
            referral.save(update_fields=["status", "closed_at", "updated_at"])
            _step(referral, ReferralStatus.EXPIRED, at=now, viewer=None)
            _audit(None, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
                   purpose=ReferralStatus.EXPIRED)
            _tell_receiver(referral, EXPIRED_TO_RECEIVER)
            _tell_referrer(referral, EXPIRED_TO_REFERRER)
            expired += 1
        done += 1
        progress(done, total, "expired")
    return ExpiryRun(overdue=len(overdue), expired=expired)


@transaction.atomic
def response_deadlines_set(
    *, viewer: Viewer, country: str, emergency_hours: int, urgent_hours: int,
    routine_hours: int, expiry_hours: int,
) -> ResponseDeadlines:
    """Set how long a country's organisations have to answer referrals, by urgency, and when an
    unanswered one expires: its national coordinator, or a system admin for any country."""
    country = country.strip().upper()
    if not (viewer.role == Role.SYSTEM_ADMIN
            or (viewer.role == Role.NATIONAL_COORDINATOR and viewer.country == country)):
        raise PermissionDenied(
            _("Only the country's national coordinator may set its response deadlines."))
    try:
        validate_country(country)
    except ValidationError as exc:
        raise ValidationError({"country": exc.messages}) from None
    values: dict[str, Any] = {"emergency_hours": emergency_hours, "urgent_hours": urgent_hours,
                              "routine_hours": routine_hours, "expiry_hours": expiry_hours}
    for field, hours in values.items():
        if not 1 <= hours <= LONGEST_HOURS:
            raise ValidationError({field: _("Give a number of hours between 1 and %(max)s.")
                                   % {"max": LONGEST_HOURS}})
    if not emergency_hours <= urgent_hours <= routine_hours:
        raise ValidationError({"urgent_hours": _(
            "An emergency must be answered no later than an urgent referral, and an urgent one "
            "no later than a routine one.")})
    rules = (ResponseDeadlines.objects.filter(country=country).first()
             or ResponseDeadlines(country=country))
    changed = [name for name, value in values.items()
               if rules.pk is None or getattr(rules, name) != value]
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.COUNTRY_RULES_CHANGED, obj=rules, fields=changed,
                 purpose=f"referral deadlines {country_name(country)}"[:200])
    return rules
