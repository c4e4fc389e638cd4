"""`nrm check --deploy`: a deployment must not exchange packages under development keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from nrm.interchange.exchange.identity import deployment_identity

DEVELOPMENT_DEPLOYMENT_ID = "dev"


@register(Tags.security, deploy=True)
def exchange_identity_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Partners trust the keys they register: they must be this deployment's own, not the
    development keys anyone can derive from the code."""
    try:
        identity = deployment_identity()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="nrm.E010")]
    errors = []
    if identity.development_keys:
        errors.append(Error(
            "NRM_EXCHANGE_SIGNING_KEY and NRM_EXCHANGE_ENCRYPTION_KEYS must be set in "
            "production.",
            hint="Generate keys with `nrm generate_keys`; see docs/operator-guide.md.",
            id="nrm.E011"))
    if settings.NRM_DEPLOYMENT_ID == DEVELOPMENT_DEPLOYMENT_ID:
        errors.append(Error(
            "NRM_DEPLOYMENT_ID must be set in production: the short, stable name partners "
            "address exchange packages to (for example the country code, \"KG\").",
            id="nrm.E012"))
    return errors
