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
from nrm.directory.inputs import AgreementInput, OrganisationInput
from nrm.directory.models import (
    Agreement,
    Organisation,
    OrganisationKind,
    ServiceType,
    SexServed,
)
from nrm.directory.selectors import OrganisationFilters

_YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def _service_choices() -> list[tuple[str, str]]:
    return [(service.code, str(service)) for service in ServiceType.objects.all()]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region served"), required=False,
                               help_text=_("Choose a country first."))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("Any kind")), *OrganisationKind.choices])
    service = forms.ChoiceField(label=_("Service"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    sex = forms.ChoiceField(label=_("Takes in"), required=False,
                            choices=[("", _("Anyone")), *SexServed.choices])
    age = forms.IntegerField(label=_("Age of the person"), required=False, min_value=0,
                             max_value=120)
    children = forms.ChoiceField(label=_("Takes in children (under 18)"), required=False,
                                 choices=_YES_NO)
    accompanied_children = forms.ChoiceField(label=_("Takes in accompanying children"),
                                             required=False, choices=_YES_NO)
    free_places = forms.BooleanField(label=_("Only with free places now"), required=False)
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
        country = str(self.data.get("country") or self.initial.get("country") or "")[:2]
        self._choices("region", [("", _("Any region")),
                                 *(region_choices(country.upper()) if country.isalpha() else [])])
        self.fields["country"].widget.attrs.update({
            "hx-get": reverse_lazy("directory:region_options"), "hx-target": "#id_region",
            "hx-trigger": "change",
        })

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
            region=data.get("region", ""), sex=data.get("sex", ""), age=data.get("age"),
            children=_yes_no(data.get("children", "")),
            accompanied_children=_yes_no(data.get("accompanied_children", "")),
            free_places=bool(data.get("free_places")),
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
    coverage_regions = forms.MultipleChoiceField(
        label=_("Other regions served"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Regions of its country where it also takes people in or works."))
    sexes_accepted = forms.MultipleChoiceField(
        label=_("Takes in"), required=False, choices=SexServed.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: anyone."))
    age_min = forms.IntegerField(label=_("Youngest age accepted"), required=False, min_value=0,
                                 max_value=120)
    age_max = forms.IntegerField(label=_("Oldest age accepted"), required=False, min_value=0,
                                 max_value=120)
    accompanied_children = forms.BooleanField(
        label=_("Takes in a person with their children"), required=False)

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
        self._choices("coverage_regions", region_choices(str(country)))
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

    def eligibility_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("coverage_regions", "age_min", "age_max",
                                        "accompanied_children")]

    @staticmethod
    def initial_for(organisation: Organisation) -> dict[str, Any]:
        initial: dict[str, Any] = {
            field: getattr(organisation, field) for field in (
                "name", "short_name", "kind", "country", "region", "city", "address", "phone",
                "email", "website", "languages", "is_first_responder", "is_competent_authority",
                "is_active", "coverage_regions", "sexes_accepted", "age_min", "age_max",
                "accompanied_children",
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
            coverage_regions=list(data["coverage_regions"]),
            sexes_accepted=list(data["sexes_accepted"]), age_min=data["age_min"],
            age_max=data["age_max"], accompanied_children=data["accompanied_children"],
        )


class CapacityForm(forms.Form):
    places = forms.IntegerField(label=_("Places"), required=False, min_value=0,
                                max_value=100_000)
    free_places = forms.IntegerField(label=_("Free places now"), required=False, min_value=0,
                                     max_value=100_000)


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    parties = forms.TypedMultipleChoiceField(
        label=_("Parties"), coerce=int, widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Two or more organisations of the directory. Hold Ctrl (⌘ on a Mac) to "
                    "choose several."))
    reference = forms.CharField(label=_("Reference number"), max_length=100, required=False)
    signed_document = forms.CharField(
        label=_("Signed document"), max_length=300, required=False,
        help_text=_("Where the signed original is kept: a registry number, an archive or a "
                    "link."))
    signed_on = forms.DateField(label=_("Signed on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    valid_from = forms.DateField(label=_("Valid from"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("Empty: until it is ended."))
    covers_referral = forms.BooleanField(label=_("Covers referral"), required=False,
                                         initial=True)
    covers_data_sharing = forms.BooleanField(
        label=_("Covers sharing personal data"), required=False,
        help_text=_("Without it, only a person's sex, age band and languages may cross the "
                    "border with a referral."))
    services = forms.MultipleChoiceField(
        label=_("Services covered"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any service."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parties"]).choices = [
            (organisation.pk, f"{organisation.name} ({organisation.country})")
            for organisation in Organisation.objects.active().order_by("country", "name")
        ]
        cast(forms.ChoiceField, self.fields["services"]).choices = _service_choices()

    @staticmethod
    def initial_for(agreement: Agreement) -> dict[str, Any]:
        initial: dict[str, Any] = {field: getattr(agreement, field) for field in (
            "title", "reference", "signed_document", "signed_on", "valid_from", "valid_until",
            "covers_referral", "covers_data_sharing", "note")}
        initial["parties"] = [party.pk for party in agreement.parties.all()]
        initial["services"] = [service.code for service in agreement.services.all()]
        return initial

    def details(self) -> AgreementInput:
        data = self.cleaned_data
        return AgreementInput(
            title=data["title"], party_ids=list(data["parties"]), valid_from=data["valid_from"],
            valid_until=data["valid_until"], signed_on=data["signed_on"],
            reference=data["reference"], signed_document=data["signed_document"],
            covers_referral=data["covers_referral"],
            covers_data_sharing=data["covers_data_sharing"], services=list(data["services"]),
            note=data["note"])
