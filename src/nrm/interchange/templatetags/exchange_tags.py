"""What other pages ask of the exchange: whether the viewer keeps the partner deployments (the
menu), whether a referral travels or came as a package and the replies that answered it (the
referral page links here by URL name only), and a package's return journey as nrm's own
values. Display only; no logic."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import template

from nrm.accounts.viewer import Viewer
from nrm.assistance.choices import Escort
from nrm.interchange.exchange.access import manages_partners as _manages_partners
from nrm.interchange.exchange.contents import journey_input
from nrm.interchange.exchange.models import ReceivedPackage, ReceivedReply, RemoteOrganisation
from nrm.interchange.exchange.schema import ExchangeReturnJourney
from nrm.interchange.exchange.selectors import replies_applied_to
from nrm.referrals.choices import ReferralOrigin
from nrm.referrals.models import Referral

register = template.Library()


@register.filter
def manages_partners(viewer: Viewer | None) -> bool:
    return viewer is not None and _manages_partners(viewer)


@register.filter
def travels_as_package(referral: Referral) -> bool:
    """Whether the referral's receiving organisation works in a partner deployment."""
    return (referral.origin == ReferralOrigin.LOCAL and RemoteOrganisation.objects.filter(
        organisation_id=referral.to_organisation_id).exists())


@register.filter
def came_in_package(referral: Referral) -> bool:
    """Whether the referral was imported from an exchange package."""
    return (referral.origin == ReferralOrigin.PACKAGE
            and ReceivedPackage.objects.filter(referral=referral).exists())


@register.filter
def replies_applied(referral: Referral) -> list[ReceivedReply]:
    """The reply packages that brought a referral sent from here its answer, newest first."""
    if referral.origin != ReferralOrigin.LOCAL:
        return []
    return replies_applied_to(referral)


@register.filter
def announced_journey(journey: ExchangeReturnJourney | None) -> dict[str, Any] | None:
    """A package's return journey in nrm's terms, to show with assistance's labels."""
    if journey is None:
        return None
    given = journey_input(journey)
    receiving = journey.ret_ReceivingOrganisation
    return {
        "travel_on": given.travel_on, "from_country": given.from_country,
        "to_country": given.to_country,
        "travel_documents": [dataclasses.asdict(document)
                             for document in given.travel_documents],
        "escort": Escort(given.escort).label, "escort_details": given.escort_details,
        "receiving_organisation": receiving.org_Name if receiving else "",
    }
