"""Every read of the exchange's own records. Partner deployments are not personal data, so
their reads are not audited; only system admins see them."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation
from nrm.interchange.exchange.access import require_partner_manager
from nrm.interchange.exchange.models import PartnerDeployment, RemoteOrganisation


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
