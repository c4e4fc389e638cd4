"""Sending a referral: the consent gate, the agreement across borders, the fields shared."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.roles import REGISTERING_ROLES, Role
from nrm.accounts.viewer import Viewer
from nrm.core.models import AuditAction, SubmissionReceipt
from nrm.core.submissions import DuplicateSubmissionError, submission_claim
from nrm.directory.models import Agreement, Organisation
from nrm.directory.taxonomy import SERVICE_TYPES
from nrm.referrals import sharing
from nrm.referrals.choices import OPEN_STATUSES, ReferralStatus, Urgency
from nrm.referrals.consent import ConsentCheck, consent_check
from nrm.referrals.deadlines import deadline_for
from nrm.referrals.models import Referral
from nrm.referrals.services.common import (
    MAX_CHILDREN,
    NOTE_LIMIT,
    REASON_LIMIT,
    RECEIVED,
    _audit,
    _step,
    _tell_receiver,
    _text,
    unique_referral_code,
)
from nrm.registry.models import Case
from nrm.registry.selectors import identity_for_viewer

# --- sending --------------------------------------------------------------------------------

def check_services(receiver: Organisation, services: list[str]) -> list[str]:
    """The services asked for, without repeats, if the receiver offers every one of them."""
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
    services = check_services(receiver, services)
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
        code=unique_referral_code(), case=case, from_organisation=sender,
        from_country=sender.country, sender_name=sender.name, sent_by=viewer.user,
        to_organisation=receiver, to_country=receiver.country, services_requested=services,
        urgency=urgency, accompanying_children=accompanying_children, note=note,
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

