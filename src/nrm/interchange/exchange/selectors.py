"""Every read of the exchange's own records. Partner deployments are not personal data, so
their reads are not audited; only system admins see them. A referral's packages are read through
the referrals selectors, which decide who sees the referral and audit the read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404

from nrm.accounts.viewer import Viewer
from nrm.assistance.access import assistance_access
from nrm.assistance.choices import ReturnStatus
from nrm.assistance.models import ReturnJourney
from nrm.directory.models import Organisation
from nrm.interchange.exchange.access import require_partner_manager
from nrm.interchange.exchange.models import (
    PartnerDeployment,
    ReceivedCancellation,
    ReceivedPackage,
    ReceivedReply,
    RemoteOrganisation,
    SentCancellation,
    SentPackage,
    SentReply,
)
from nrm.interchange.exchange.schema import ExchangeReturnJourney
from nrm.referrals.models import Referral
from nrm.referrals.selectors import RECEIVER, REFERRER, ReferralSeen, referral_for_viewer


def partner_deployments_for_viewer(*, viewer: Viewer) -> QuerySet[PartnerDeployment]:
    """Every partner deployment, with how many directory organisations work in it (system
    admins only)."""
    require_partner_manager(viewer)
    return PartnerDeployment.objects.annotate(organisation_count=Count("organisations"))


def partner_deployment_for_viewer(*, viewer: Viewer, pk: int) -> PartnerDeployment:
    """One partner deployment (system admins only); 404 when there is none."""
    require_partner_manager(viewer)
    partner = PartnerDeployment.objects.filter(pk=pk).first()
    if partner is None:
        raise Http404
    return partner


def remote_organisation_of(organisation: Organisation) -> RemoteOrganisation | None:
    """Where a directory organisation works when it is not here: its partner deployment and id
    there, or None for an organisation of this deployment. Directory data, not personal."""
    return (RemoteOrganisation.objects.select_related("deployment")
            .filter(organisation=organisation).first())


def remote_organisations_of(*, partner: PartnerDeployment) -> QuerySet[RemoteOrganisation]:
    """The directory organisations that work in ``partner``, their organisation joined."""
    return partner.organisations.select_related("organisation").order_by("organisation__name")


# --- packages ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PackageReferral:
    """A referral as its referring organisation sees it for sending as a package: where its
    receiver works, the return journey that would go with it, and the packages made so far."""

    seen: ReferralSeen
    remote: RemoteOrganisation | None
    journey: ReturnJourney | None
    packages: list[SentPackage]
    replies: list[ReceivedReply]
    cancellations: list[SentCancellation]

    @property
    def referral(self) -> Referral:
        return self.seen.referral


def return_journey_to_send(*, viewer: Viewer, referral: Referral) -> ReturnJourney | None:
    """The planned return that goes with a package of ``referral``: the case's latest planned
    return to the receiving country, one that the receiving organisation receives first; None
    when there is none or the viewer may not read the case's returns."""
    if referral.case is None:
        return None
    access = assistance_access(viewer=viewer, case=referral.case)
    if access is None or not access.sees_everything:
        return None
    for_receiver = ExpressionWrapper(Q(receiving_organisation_id=referral.to_organisation_id),
                                     output_field=BooleanField())
    return (ReturnJourney.objects.filter(case=referral.case, status=ReturnStatus.PLANNED,
                                         to_country=referral.to_country)
            .select_related("receiving_organisation").annotate(for_receiver=for_receiver)
            .order_by("-for_receiver", "-travel_on", "-id").first())


def package_referral_for_viewer(*, viewer: Viewer, code: str) -> PackageReferral:
    """A referral the viewer's side sent, with what a package of it would carry; 404 for anyone
    who may not see it from the referring side. Audited as a read of the referral."""
    seen = referral_for_viewer(viewer=viewer, code=code, purpose="exchange package")
    if seen.side != REFERRER:
        raise Http404
    referral = seen.referral
    return PackageReferral(
        seen=seen, remote=remote_organisation_of(referral.to_organisation),
        journey=return_journey_to_send(viewer=viewer, referral=referral),
        packages=list(SentPackage.objects.filter(referral=referral)
                      .select_related("created_by", "recipient")),
        replies=replies_applied_to(referral),
        cancellations=list(SentCancellation.objects.filter(referral=referral)
                           .select_related("created_by", "recipient")))


def replies_applied_to(referral: Referral) -> list[ReceivedReply]:
    """The replies applied to a referral sent from here, newest first: what its receiver in a
    partner deployment reported, and when. Statuses and dates only; the caller fetched the
    referral for the viewer."""
    return list(ReceivedReply.objects.filter(referral=referral)
                .select_related("sender", "received_by"))


@dataclass(frozen=True)
class IncomingPackage:
    """A referral that arrived in a package, as its receiving organisation sees it: the package
    it came in and the return journey that package announced."""

    seen: ReferralSeen
    received: ReceivedPackage
    replies: list[SentReply]
    cancellations: list[ReceivedCancellation]

    @property
    def referral(self) -> Referral:
        return self.seen.referral

    @property
    def journey(self) -> ExchangeReturnJourney | None:
        announced = self.received.return_journey
        return ExchangeReturnJourney.model_validate(announced) if announced else None


def incoming_package_for_viewer(*, viewer: Viewer, code: str) -> IncomingPackage:
    """The package a referral to the viewer's organisation came in; 404 for anyone else and for
    a referral that did not come in a package. Audited as a read of the referral."""
    seen = referral_for_viewer(viewer=viewer, code=code, purpose="exchange package")
    if seen.side != RECEIVER:
        raise Http404
    received = (ReceivedPackage.objects.select_related("sender", "received_by", "journey__case")
                .filter(referral=seen.referral).first())
    if received is None:
        raise Http404
    return IncomingPackage(
        seen=seen, received=received,
        replies=list(received.replies.select_related("created_by", "recipient")),
        cancellations=list(ReceivedCancellation.objects
                           .filter(sender=received.sender,
                                   packages__package_id=received.package_id)
                           .select_related("sender", "received_by")))


def referrals_cancelled_by(cancellation: ReceivedCancellation) -> list[Referral]:
    """The referrals that the packages a cancellation names brought here, oldest first: what
    the organisation that applied it sees next. Codes and statuses; the caller applied it."""
    names = cancellation.packages.values_list("package_id", flat=True)
    return list(Referral.objects.filter(
        pk__in=ReceivedPackage.objects.filter(package_id__in=names, sender=cancellation.sender)
        .values_list("referral_id", flat=True)).order_by("sent_at"))
