"""Forms of the criminal-proceedings screens. They parse what an investigator or prosecutor
typed; the services check everything again and have the last word."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.core.countries import country_choices
from nrm.directory.models import Organisation, OrganisationKind
from nrm.justice.access import LAW_ENFORCEMENT_KINDS
from nrm.justice.choices import (
    ArticleCategory,
    CompensationRoute,
    Cooperation,
    LegalAssistanceOutcome,
    OffenderOutcome,
    OffenderRole,
    ParticipantRole,
    Stage,
)
from nrm.justice.models import CriminalCodeArticle
from nrm.registry.choices import Sex
from nrm.registry.forms import BLANK, Checks, DateInput


def _money(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0,
                              required=False)


def _countries() -> list[Any]:
    return BLANK + country_choices()


def article_choices(country: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """The country's articles in force, grouped: trafficking first, then the related ones."""
    articles = CriminalCodeArticle.objects.filter(country=country, is_active=True)
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for category in (ArticleCategory.TRAFFICKING, ArticleCategory.RELATED):
        picks = [(a.pk, f"{a.number} · {a.title}") for a in articles if a.category == category]
        if picks:
            groups.append((str(category.label), picks))
    return groups


def _articles_field(required: bool = True, **kwargs: Any) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=_("Articles"), coerce=int, required=required, widget=Checks, **kwargs)


class ArticlesMixin:
    """Offers the articles of one country's criminal code."""

    fields: dict[str, forms.Field]

    def offer_articles(self, country: str) -> None:
        cast(forms.ChoiceField, self.fields["article_ids"]).choices = article_choices(country)


class CriminalCaseOpenForm(ArticlesMixin, forms.Form):
    country = forms.ChoiceField(label=_("Jurisdiction"), choices=_countries)
    number = forms.CharField(label=_("Case number"), max_length=60)
    investigating_agency = forms.ModelChoiceField(
        label=_("Investigating agency"), queryset=Organisation.objects.none())
    prosecutor_office = forms.ModelChoiceField(
        label=_("Prosecutor's office"), queryset=Organisation.objects.none(), required=False)
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput)
    article_ids = _articles_field(
        help_text=_("The articles of the jurisdiction's criminal code the case is opened "
                    "under. Change the jurisdiction and submit to see its articles."))
    unregistered_victims = forms.IntegerField(
        label=_("Victims not registered in the NRM"), min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.data.get("country") if self.is_bound else None
        self.offer_articles(str(chosen or country))
        active = Organisation.objects.filter(is_active=True).order_by("country", "name")
        cast(forms.ModelChoiceField, self.fields["investigating_agency"]).queryset = (
            active.filter(kind__in=LAW_ENFORCEMENT_KINDS))
        cast(forms.ModelChoiceField, self.fields["prosecutor_office"]).queryset = (
            active.filter(kind=OrganisationKind.PROSECUTOR))


class QualificationForm(ArticlesMixin, forms.Form):
    article_ids = _articles_field()
    valid_from = forms.DateField(label=_("From"), widget=DateInput)
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_articles(country)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("Required when the case is suspended or closed."))


class HearingForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    court = forms.CharField(label=_("Court"), max_length=200, required=False)


class UnregisteredVictimsForm(forms.Form):
    count = forms.IntegerField(label=_("Victims not registered in the NRM"), min_value=0)


class ParticipantFieldsForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
    cooperation = forms.ChoiceField(label=_("Cooperation"), choices=Cooperation.choices,
                                    initial=Cooperation.NOT_ASKED)
    declined_reason = forms.CharField(label=_("Why declined"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    protection_measures = forms.CharField(label=_("Protection measures"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    legal_representative = forms.CharField(label=_("Legal representative"), required=False)
    interpreter = forms.BooleanField(label=_("Interpreter present"), required=False)
    psychologist = forms.BooleanField(label=_("Psychologist present"), required=False)


class ParticipantLinkForm(ParticipantFieldsForm):
    field_order = ["case_code"]
    case_code = forms.CharField(
        label=_("Registry case code"), max_length=40,
        help_text=_("The pseudonymous case code the person's NGO or first responder gives you."))


class OffenderForm(ArticlesMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=20,
                            help_text=_("A pseudonym within the case, such as “O-1”. Never a "
                                        "name."))
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + list(Sex.choices), required=False)
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, max_value=2100,
                                    required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=_countries, required=False)
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=OffenderRole.choices,
                                      widget=Checks)
    article_ids = _articles_field(required=False, help_text=_("Charges, one per article."))

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_articles(country)


class OffenderOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OffenderOutcome.choices)
    outcome_on = forms.DateField(label=_("Outcome on"), widget=DateInput, required=False)
    sentence_months = forms.IntegerField(label=_("Sentence (months)"), min_value=0,
                                         required=False)
    sentence_suspended = forms.BooleanField(label=_("Sentence suspended"), required=False)
    assets_confiscated = _money(_("Assets confiscated"))
    assets_currency = forms.CharField(label=_("Currency"), max_length=3, required=False,
                                      help_text=_("Three letters, such as KZT."))


class CaseLinkForm(forms.Form):
    to_country = forms.ChoiceField(label=_("Country of the other case"), choices=_countries)
    to_number = forms.CharField(label=_("Number of the other case"), max_length=60)
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("How the cases are connected, without names."))


class LegalAssistanceForm(forms.Form):
    requesting_country = forms.ChoiceField(label=_("Requesting country"), choices=_countries)
    requested_country = forms.ChoiceField(label=_("Requested country"), choices=_countries)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput)
    answer_due_on = forms.DateField(label=_("Answer due"), widget=DateInput, required=False)


class LegalAssistanceAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        pair for pair in LegalAssistanceOutcome.choices
        if pair[0] != LegalAssistanceOutcome.PENDING])


class CompensationForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=CompensationRoute.choices)
    currency = forms.CharField(label=_("Currency"), max_length=3,
                               help_text=_("Three letters, such as KZT."))
    claimed = _money(_("Claimed"))
    claimed_on = forms.DateField(label=_("Claimed on"), widget=DateInput, required=False)
    awarded = _money(_("Awarded"))
    awarded_on = forms.DateField(label=_("Awarded on"), widget=DateInput, required=False)
    paid = _money(_("Paid"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, required=False)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()

