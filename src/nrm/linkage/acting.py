"""Who a command acts as when it reads the registry: a named user, through one of their active
memberships, exactly as if they had signed in. A command has no session, and the registry's
rules follow the membership, not the machine that runs it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nrm.accounts.models import Membership, User
from nrm.accounts.viewer import Viewer
from nrm.core.jobs import ProgressReport, no_progress
from nrm.linkage.records import PersonRecord
from nrm.linkage.selectors import LinkageUse, checks_against_registry, records_for_linkage


class ActingUserError(ValueError):
    """The named user cannot act for this: the message says why and what to do."""


def acting_viewer(*, username: str, organisation_id: int | None = None) -> Viewer:
    """The viewer ``username`` acts as to match a list against the registry: their active
    membership that sees identities (in ``organisation_id`` if given, and then the only one)."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ActingUserError(_("There is no active user “%(username)s”.")
                              % {"username": username})
    memberships = [
        membership for membership in Membership.objects.active().filter(user=user)
        .select_related("organisation").order_by("-role", "pk")
        if checks_against_registry(Viewer(user=user, membership=membership))
        and organisation_id in (None, membership.organisation_id)
    ]
    if not memberships:
        raise ActingUserError(_(
            "“%(username)s” does not see the identities of any organisation's persons, so no "
            "list can be matched against the registry as them. Act as a case worker or "
            "supervisor of the organisation whose persons the list should be matched against."
        ) % {"username": username})
    if len(memberships) > 1:
        choices = ", ".join(f"{m.organisation_id} ({m.organisation})" for m in memberships)
        raise ActingUserError(_(
            "“%(username)s” sees the persons of several organisations; say which one with its "
            "id: %(choices)s.") % {"username": username, "choices": choices})
    return Viewer(user=user, membership=memberships[0])


def registry_records_as(
    *, username: str, organisation_id: int | None = None, purpose: str = "",
    progress: ProgressReport = no_progress,
) -> tuple[Viewer, list[PersonRecord]]:
    """The registry persons ``username`` may match a list against (their organisation's, whose
    identities they see), as records, through records_for_linkage: audited as their read."""
    viewer = acting_viewer(username=username, organisation_id=organisation_id)
    return viewer, records_for_linkage(viewer=viewer, use=LinkageUse.SPREADSHEET_CHECK,
                                       purpose=purpose, progress=progress)
