"""Forms of the directory pages: filters of the list, and an organisation's details."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.countries import country_choices, country_name, language_choices, region_choices
from nrm.directory.inputs import OrganisationInput
from nrm.directory.models import Organisation, OrganisationKind, ServiceType
from nrm.directory.selectors import OrganisationFilters

_YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def _service_choices() -> list[tuple[str, str]]:
    return [(service.code, str(service)) for service in ServiceType.objects.all()]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("Any kind")), *OrganisationKind.choices])
    service = forms.ChoiceField(label=_("Service"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    first_responder = forms.ChoiceField(label=_("First responder"), required=False,
                                        choices=_YES_NO)
    competent_authority = forms.ChoiceField(label=_("Competent authority"), required=False,
                                            choices=_YES_NO)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request, so that names follow the user's language.
        self._choices("country", [("", _("Any country")), *country_choices()])
        self._choices("service", [("", _("Any service")), *_service_choices()])
        self._choices("language", [("", _("Any language")), *language_choices()])

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def filters(self) -> OrganisationFilters:
        """The filters that are valid; a wrong one is shown as an error and ignored."""
        if not self.is_bound:
            return OrganisationFilters()
        self.is_valid()
        data = self.cleaned_data
        return OrganisationFilters(
            text=data.get("q", ""), country=data.get("country", ""), kind=data.get("kind", ""),
            service=data.get("service", ""), language=data.get("language", ""),
            first_responder=_yes_no(data.get("first_responder", "")),
            competent_authority=_yes_no(data.get("competent_authority", "")),
        )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("organisation", "Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    country = forms.ChoiceField(label=_("Country"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The languages in which it can help people. Hold Ctrl (⌘ on a Mac) to "
                    "choose several."),
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"), required=False, widget=forms.CheckboxSelectMultiple,
    )
    is_first_responder = forms.BooleanField(
        label=_("First responder"), required=False, help_text=_("May screen and refer persons."),
    )
    is_competent_authority = forms.BooleanField(
        label=_("Competent authority"), required=False,
        help_text=_("May decide victim status."),
    )
    is_active = forms.BooleanField(label=pgettext_lazy("organisation", "Active"), required=False,
                                   initial=True)

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if viewer.role == Role.SYSTEM_ADMIN:
            countries = country_choices()
        else:
            # A coordinator adds and keeps organisations in their own country only.
            countries = [(viewer.country, country_name(viewer.country))]
        country = (self.data.get("country") if self.is_bound else None) or self.initial.get(
            "country") or viewer.country
        self._choices("country", countries)
        self._choices("region", [("", "—"), *region_choices(str(country))])
        self._choices("languages", language_choices())
        self._choices("services", _service_choices())
        self.fields["country"].widget.attrs.update({
            "hx-get": reverse_lazy("directory:region_options"), "hx-target": "#id_region",
            "hx-trigger": "change",
        })

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    # The groups of fields as the page shows them.
    def about_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "short_name", "kind", "country", "region", "city")]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("address", "phone", "email", "website")]

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("is_first_responder", "is_competent_authority",
                                        "is_active")]

    @staticmethod
    def initial_for(organisation: Organisation) -> dict[str, Any]:
        initial: dict[str, Any] = {
            field: getattr(organisation, field) for field in (
                "name", "short_name", "kind", "country", "region", "city", "address", "phone",
                "email", "website", "languages", "is_first_responder", "is_competent_authority",
                "is_active",
            )
        }
        initial["services"] = [service.code for service in organisation.services.all()]
        return initial

    def details(self) -> OrganisationInput:
        data = self.cleaned_data
        return OrganisationInput(
            name=data["name"], short_name=data["short_name"], kind=data["kind"],
            country=data["country"], region=data["region"], city=data["city"],
            address=data["address"], phone=data["phone"], email=data["email"],
            website=data["website"], languages=list(data["languages"]),
            services=list(data["services"]), is_first_responder=data["is_first_responder"],
            is_competent_authority=data["is_competent_authority"], is_active=data["is_active"],
        )
