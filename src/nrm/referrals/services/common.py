"""What every referral service shares: limits, the notifications' texts, the audit entry and
history step, who is told, and the permission checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nrm.accounts.models import User
from nrm.accounts.roles import REGISTERING_ROLES
from nrm.accounts.services import notify
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.codes import new_code
from nrm.core.models import AuditAction
from nrm.referrals.choices import Urgency
from nrm.referrals.models import Referral, ReferralStatusChange

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
    return Referral.objects.select_for_update(of=("self",)).select_related(
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


def unique_referral_code() -> str:
    """A pseudonymous code no referral has yet."""
    for _attempt in range(5):
        code = new_code()
        if not Referral.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not draw a free referral code")
