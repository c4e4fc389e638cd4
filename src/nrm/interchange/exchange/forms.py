"""Forms of the exchange pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.core.countries import country_choices
from nrm.directory.models import Organisation
from nrm.interchange.exchange.envelope import MAX_PACKAGE_BYTES
from nrm.interchange.exchange.models import PartnerDeployment
from nrm.interchange.exchange.services import PartnerInput


class PartnerForm(forms.Form):
    deployment_id = forms.CharField(label=_("Deployment id"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    signing_key = forms.CharField(label=_("Public signing key"), max_length=64,
                                  help_text=_("Ed25519, base64, as the partner's "
                                              "`nrm exchange_identity` prints it."))
    encryption_key = forms.CharField(label=_("Public encryption key"), max_length=64,
                                     help_text=_("X25519, base64."))
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False,
                              help_text=_("Who at the partner confirms its keys, and how to "
                                          "reach them."))
    is_active = forms.BooleanField(label=_("Exchange packages with this partner"),
                                   required=False, initial=True)

    @classmethod
    def for_partner(cls, partner: PartnerDeployment,
                    data: Mapping[str, Any] | None = None) -> PartnerForm:
        return cls(data, initial={name: getattr(partner, name) for name in (
            "deployment_id", "name", "country", "signing_key", "encryption_key", "contact",
            "is_active")})

    def details(self) -> PartnerInput:
        return PartnerInput(**self.cleaned_data)


class RemoteOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(),
        help_text=_("An organisation of the directory in the partner's country."))
    remote_ref = forms.CharField(
        label=_("Its id in the partner's directory"), max_length=64,
        help_text=_("As the partner's system admin gives it."))

    def __init__(self, *args: Any, partner: PartnerDeployment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (for mypy)
        field.queryset = Organisation.objects.active().filter(country=partner.country)


class PackageUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Exchange package"),
        help_text=_("The .json file the sending deployment produced, unchanged."))

    def document(self) -> bytes:
        """The file's bytes, read no further than a package can be long (a longer one is
        refused as too large)."""
        return bytes(self.cleaned_data["file"].read(MAX_PACKAGE_BYTES + 1))


class PackageConfirmForm(forms.Form):
    """The package again, as the preview carried it: it is checked once more on import."""

    package = forms.CharField(widget=forms.HiddenInput, max_length=MAX_PACKAGE_BYTES * 2)

    @classmethod
    def carrying(cls, document: bytes) -> PackageConfirmForm:
        return cls(initial={"package": base64.b64encode(document).decode()})

    def document(self) -> bytes | None:
        try:
            return base64.b64decode(self.cleaned_data["package"], validate=True)
        except (binascii.Error, ValueError):
            return None
