"""Forms of the assistance screens. They parse what a case worker typed and hand the services
their typed inputs (assistance/inputs.py); the services check everything again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nrm.accounts.models import User
from nrm.assistance.choices import (
    ECONOMIC_SUPPORT,
    SHELTER,
    ContactMode,
    Escort,
    RetraffickingRisk,
    ServiceOutcome,
    SupportPlanType,
    TravelDocumentKind,
    TravelDocumentStatus,
    WellBeing,
    service_type_choices,
)
from nrm.assistance.inputs import (
    ContactInput,
    FollowUpPlanInput,
    ReceptionInput,
    ReturnJourneyInput,
    ServiceInput,
    SupportPlanInput,
    TravelDocumentInput,
)
from nrm.assistance.models import FollowUp, ReturnJourney, ServiceRecord, SupportPlan
from nrm.core.countries import country_choices
from nrm.directory.models import Organisation
from nrm.referrals.models import Referral
from nrm.registry.forms import BLANK, CaseWorkerChoiceField, DateInput, case_workers_of


def _text(label: Any, max_length: int, *, rows: int = 3, required: bool = False,
          help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput, required=required,
                           help_text=help_text)


def _money(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0,
                              required=False, help_text=help_text)


def _countries() -> list[Any]:
    return BLANK + country_choices()


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.country})"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_plan_type_display()} · {obj.started_on:%Y-%m-%d}"


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_code} · {obj.to_organisation}"


class SupportPlanForm(forms.Form):
    plan_type = forms.ChoiceField(label=_("Type"), choices=SupportPlanType.choices)
    objectives = _text(_("Objectives"), 4000, required=True,
                       help_text=_("What the person wants to achieve, in their words."))
    action_plan = _text(_("Action plan"), 8000, rows=5,
                        help_text=_("The steps agreed, who takes them and when."))
    started_on = _date(_("Started on"))
    planned_end_on = _date(_("Planned end"), required=False)
    actual_end_on = _date(_("Actual end"), required=False,
                          help_text=_("Leave empty while the plan is open."))

    @classmethod
    def initial_from(cls, plan: SupportPlan) -> dict[str, Any]:
        return {name: getattr(plan, name) for name in cls.base_fields}

    def to_input(self) -> SupportPlanInput:
        return SupportPlanInput(**self.cleaned_data)


class ServiceForm(forms.Form):
    """One service given. Nights show for a shelter stay and the amount for economic support:
    when the service type changes, htmx fetches the form again with the fields that fit."""

    service_type = forms.ChoiceField(label=_("Service"),
                                     choices=lambda: BLANK + service_type_choices())
    provider = OrganisationChoiceField(label=_("Provider"),
                                       queryset=Organisation.objects.none())
    support_plan = PlanChoiceField(label=_("Support plan"), queryset=SupportPlan.objects.none(),
                                   required=False)
    referral = ReferralChoiceField(
        label=_("Referral"), queryset=Referral.objects.none(), required=False,
        help_text=_("The referral this service answers, when a partner gave it."))
    started_on = _date(_("Started on"))
    ended_on = _date(_("Ended on"), required=False,
                     help_text=_("Leave empty while the service goes on."))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ServiceOutcome.choices)
    nights = forms.IntegerField(label=_("Nights"), min_value=0, required=False,
                                help_text=_("Shelter only: nights the person stayed."))
    amount = _money(_("Amount given"),
                    help_text=_("Economic support only: what the person received."))
    cost = _money(_("Cost"))
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False,
                               help_text=_("Three letters, such as KZT."))
    note = _text(_("Note"), 2000, rows=2)

    SERVICE_FIELDS = {"provider_id": "provider", "support_plan_id": "support_plan",
                      "referral_id": "referral"}

    def __init__(self, *args: Any, providers: QuerySet[Organisation],
                 plans: QuerySet[SupportPlan], referrals: QuerySet[Referral] | None,
                 refresh_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers
        cast(forms.ModelChoiceField, self.fields["support_plan"]).queryset = plans
        if referrals is None:
            # A receiving organisation's records answer its own referral, chosen for it.
            del self.fields["referral"]
        else:
            cast(forms.ModelChoiceField, self.fields["referral"]).queryset = referrals
        self.fields["service_type"].widget.attrs.update({
            "hx-get": refresh_url, "hx-trigger": "change", "hx-target": "#service-fields",
            "hx-select": "#service-fields", "hx-swap": "outerHTML",
            "hx-include": "closest form",
        })

    @property
    def chosen_type(self) -> str:
        raw = self.data.get("service_type") if self.is_bound else self.initial.get(
            "service_type")
        return str(raw or "")

    def shown_fields(self) -> Iterator[forms.BoundField]:
        """The fields that fit the chosen service: every field until one is chosen."""
        chosen = self.chosen_type
        for field in self.visible_fields():
            if chosen and field.name == "nights" and chosen != SHELTER:
                continue
            if chosen and field.name == "amount" and chosen != ECONOMIC_SUPPORT:
                continue
            yield field

    @classmethod
    def initial_from(cls, record: ServiceRecord) -> dict[str, Any]:
        initial = {name: getattr(record, name) for name in cls.base_fields
                   if name not in ("provider", "support_plan", "referral")}
        initial.update(provider=record.provider_id, support_plan=record.support_plan_id,
                       referral=record.referral_id)
        return initial

    def to_input(self) -> ServiceInput:
        data = self.cleaned_data
        plan, referral = data["support_plan"], data.get("referral")
        return ServiceInput(
            service_type=data["service_type"], provider_id=data["provider"].pk,
            started_on=data["started_on"], ended_on=data["ended_on"], cost=data["cost"],
            currency=data["currency"] or "", nights=data.get("nights"),
            amount=data.get("amount"), outcome=data["outcome"], note=data["note"],
            support_plan_id=plan.pk if plan else None,
            referral_id=referral.pk if referral else None)


def _document_field(kind: TravelDocumentKind) -> forms.ChoiceField:
    return forms.ChoiceField(label=kind.label, required=False,
                             choices=[("", _("Not needed")), *TravelDocumentStatus.choices])


class ReturnJourneyForm(forms.Form):
    from_country = forms.ChoiceField(label=_("From country"), choices=_countries)
    to_country = forms.ChoiceField(label=_("To country"), choices=_countries)
    travel_on = _date(_("Travel date"), help_text=_("Planned, or the day the person "
                                                    "travelled."))
    receiving_organisation = OrganisationChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none(),
        required=False, help_text=_("The partner who receives the person on arrival."))
    escort = forms.ChoiceField(label=_("Escort"), choices=Escort.choices)
    escort_details = forms.CharField(label=_("Escort details"), max_length=300,
                                     required=False)

    SERVICE_FIELDS = {"receiving_organisation_id": "receiving_organisation",
                      "travel_documents": "doc_passport"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["receiving_organisation"]).queryset = (
            Organisation.objects.active().order_by("country", "name"))
        for kind in TravelDocumentKind:
            self.fields[f"doc_{kind.value}"] = _document_field(kind)

    def document_fields(self) -> list[forms.BoundField]:
        return [self[f"doc_{kind.value}"] for kind in TravelDocumentKind]

    def journey_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if not field.name.startswith("doc_")]

    @classmethod
    def initial_from(cls, journey: ReturnJourney) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(journey, name) for name in
            ("from_country", "to_country", "travel_on", "escort", "escort_details")}
        initial["receiving_organisation"] = journey.receiving_organisation_id
        for document in journey.travel_documents or ():
            initial[f"doc_{document['kind']}"] = document["status"]
        return initial

    def to_input(self) -> ReturnJourneyInput:
        data = self.cleaned_data
        receiving = data["receiving_organisation"]
        return ReturnJourneyInput(
            from_country=data["from_country"], to_country=data["to_country"],
            travel_on=data["travel_on"],
            travel_documents=[TravelDocumentInput(kind=kind.value, status=data[f"doc_{kind}"])
                              for kind in TravelDocumentKind if data.get(f"doc_{kind}")],
            escort=data["escort"], escort_details=data["escort_details"],
            receiving_organisation_id=receiving.pk if receiving else None)


class ReceptionForm(forms.Form):
    arrived_on = _date(_("Arrived on"))
    received_by = forms.CharField(label=_("Received by"), max_length=200, required=False,
                                  help_text=_("Who met the person: a name or a role."))
    notes = _text(_("Notes"), 2000, help_text=_("How the person was received, where they "
                                                "went, what they need next."))

    def to_input(self) -> ReceptionInput:
        return ReceptionInput(**self.cleaned_data)


class CancelReturnForm(forms.Form):
    reason = _text(_("Reason"), 2000, required=True)


class FollowUpPlanForm(forms.Form):
    planned_on = _date(_("Planned for"))
    mode = forms.ChoiceField(label=_("How"), choices=ContactMode.choices)
    assigned_to = CaseWorkerChoiceField(label=_("Case worker"), queryset=User.objects.none(),
                                        required=False)

    SERVICE_FIELDS = {"assigned_to_id": "assigned_to"}

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = case_workers_of(
            organisation_id)

    @classmethod
    def initial_from(cls, follow_up: FollowUp) -> dict[str, Any]:
        return {"planned_on": follow_up.planned_on, "mode": follow_up.mode,
                "assigned_to": follow_up.assigned_to_id}

    def to_input(self) -> FollowUpPlanInput:
        data = self.cleaned_data
        assignee = data["assigned_to"]
        return FollowUpPlanInput(planned_on=data["planned_on"], mode=data["mode"],
                                 assigned_to_id=assignee.pk if assignee else None)


def _levels(label: Any, choices: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, empty_value=None, required=False,
                                  choices=[("", "—"), *choices],
                                  widget=forms.RadioSelect(attrs={"class": "checks"}))


class ContactForm(forms.Form):
    done_on = _date(_("Date of the contact"))
    mode = forms.ChoiceField(label=_("How"), choices=ContactMode.choices)
    reached = forms.TypedChoiceField(
        label=_("Was the person reached?"), coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect(attrs={"class": "checks"}))
    well_being = _levels(_("Well-being"), WellBeing.choices)
    risk = _levels(_("Risk of re-trafficking"), RetraffickingRisk.choices)
    notes = _text(_("Notes"), 4000)
    next_contact_on = _date(
        _("Next contact"), required=False,
        help_text=_("Required when the person was not reached, is in crisis or at high "
                    "risk."))

    def to_input(self) -> ContactInput:
        data = self.cleaned_data
        return ContactInput(done_on=data["done_on"], mode=data["mode"],
                            reached=bool(data["reached"]), well_being=data["well_being"],
                            risk=data["risk"], notes=data["notes"])

    def next_contact(self) -> dt.date | None:
        return cast(dt.date | None, self.cleaned_data.get("next_contact_on"))
