from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register

from nrm.core.crypto import using_development_keys


@register(Tags.security, deploy=True)
def encryption_keys_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    """A deployment must not run on the development keys that ship with the code."""
    if using_development_keys():
        return [
            Error(
                "NRM_FIELD_KEYS and NRM_BLIND_INDEX_KEY must be set in production.",
                hint="Generate keys with `nrm generate_keys`; see docs/operator-guide.md.",
                id="nrm.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def secret_key_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Sessions and CSRF tokens must not be signed with the key that ships with the code."""
    from django.conf import settings

    if settings.SECRET_KEY.startswith("insecure-development-key"):
        return [Error("NRM_SECRET_KEY must be set in production.", id="nrm.E002")]
    return []
