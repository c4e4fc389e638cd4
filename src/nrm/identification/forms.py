"""Forms of the identification screens. They parse what a person typed; the services check
everything again and have the last word."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nrm.core.countries import language_choices
from nrm.directory.models import Organisation
from nrm.identification.choices import (
    Answer,
    AppealOutcome,
    Dimension,
    Element,
    IndicatorGroup,
    IndicatorSet,
    ScreeningResult,
    VictimStatus,
)
from nrm.identification.models import Indicator, Screening

BLANK: list[tuple[str, Any]] = [("", "—")]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
# An interview never needs a longer note per answer; a longer text belongs in the case file.
NOTE_MAX_LENGTH = 2000


class ScreeningStartForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the interview"), required=False)
    indicator_set = forms.ChoiceField(
        label=_("ILO/EC set of indicators"), required=False,
        choices=BLANK + list(IndicatorSet.choices),
        help_text=_("The operational indicators for the person's age and the exploitation."),
    )
    age_at_recruitment = forms.IntegerField(
        label=_("Age at recruitment"), required=False, min_value=0, max_value=120,
        help_text=_("Under 18 at recruitment: Act and Purpose suffice."),
    )
    age_disputed = forms.BooleanField(
        label=_("Age disputed"), required=False,
        help_text=_("Treated as a child until the age is assessed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = BLANK + language_choices()


@dataclass(frozen=True)
class AnswerRow:
    """One indicator of the interview with its two fields, ready for the template."""

    indicator: Indicator
    answer: forms.BoundField
    note: forms.BoundField
    # The question in the person's language, to read out, when the screen is in another one.
    spoken: str = ""


@dataclass(frozen=True)
class AnswerGroup:
    heading: str
    rows: list[AnswerRow]


def answer_field(code: str) -> str:
    return f"answer:{code}"


def note_field(code: str) -> str:
    return f"note:{code}"


class InterviewForm(forms.Form):
    """One yes/no/unknown choice and a note per indicator; unanswered ones are left out."""

    def __init__(self, *args: Any, indicators: Sequence[Indicator], spoken_language: str = "",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.spoken_language = spoken_language
        for indicator in self.indicators:
            self.fields[answer_field(indicator.code)] = forms.ChoiceField(
                label=indicator.text, required=False, choices=Answer.choices,
                widget=forms.RadioSelect(attrs={"class": "answer"}),
            )
            self.fields[note_field(indicator.code)] = forms.CharField(
                label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def answers(self) -> dict[str, tuple[str, str]]:
        """Indicator code → (answer, note) for every indicator answered."""
        answered: dict[str, tuple[str, str]] = {}
        for indicator in self.indicators:
            answer = self.cleaned_data.get(answer_field(indicator.code)) or ""
            note = (self.cleaned_data.get(note_field(indicator.code)) or "").strip()
            if answer:
                answered[indicator.code] = (answer, note)
        return answered

    def groups(self) -> list[AnswerGroup]:
        """The rows grouped as the catalogue is: by Palermo element, or by ILO/EC dimension."""
        groups: dict[str, AnswerGroup] = {}
        for indicator in self.indicators:
            heading = _group_heading(indicator)
            group = groups.setdefault(heading, AnswerGroup(heading=heading, rows=[]))
            spoken = str(indicator.texts.get(self.spoken_language) or "")
            group.rows.append(AnswerRow(indicator=indicator,
                                        answer=self[answer_field(indicator.code)],
                                        note=self[note_field(indicator.code)],
                                        spoken="" if spoken == indicator.text else spoken))
        return list(groups.values())


def _group_heading(indicator: Indicator) -> str:
    group = str(IndicatorGroup(indicator.group).label) if indicator.group else ""
    if indicator.group == IndicatorGroup.ILO_EC and indicator.dimension:
        part = str(Dimension(indicator.dimension).label)
    elif indicator.element:
        part = str(Element(indicator.element).label)
    else:
        return group
    return f"{group}: {part}"


class ScreeningCompleteForm(forms.Form):
    judgement = forms.ChoiceField(
        label=_("Your professional judgement"), choices=BLANK + list(ScreeningResult.choices),
        help_text=_("Kept beside the computed result, even where the two differ."),
    )
    judgement_note = forms.CharField(
        label=_("Reasons for your judgement"), required=False, widget=forms.Textarea,
        max_length=5000,
    )


def competent_authorities() -> QuerySet[Organisation]:
    """The directory's active competent authorities (the directory is public)."""
    return Organisation.objects.filter(is_competent_authority=True, is_active=True).order_by(
        "country", "name")


class DecisionRequestForm(forms.Form):
    competent_authority = forms.ModelChoiceField(
        label=_("Competent authority"), queryset=Organisation.objects.none(),
        empty_label="—",
    )
    note = forms.CharField(label=_("Note for the authority"), required=False,
                           widget=forms.Textarea, max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["competent_authority"])
        field.queryset = competent_authorities()


class ScreeningChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = obj.completed_at or obj.started_at
        result = obj.get_computed_result_display() or str(_("in progress"))
        return f"{timezone.localtime(when):%Y-%m-%d} · {result}"


class StatusDecisionForm(forms.Form):
    SERVICE_FIELDS = {"screening_ids": "screenings"}

    status = forms.ChoiceField(label=_("Status"), choices=BLANK + list(VictimStatus.choices))
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_INPUT)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea, max_length=10000)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    screenings = ScreeningChoiceField(
        label=_("Screenings relied on"), required=False, queryset=Screening.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
    )

    def __init__(self, *args: Any, screenings: QuerySet[Screening] | None = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if screenings is None:
            del self.fields["screenings"]
        else:
            cast(ScreeningChoiceField, self.fields["screenings"]).queryset = screenings

    def clean_decided_on(self) -> Any:
        decided_on = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise ValidationError(_("A decision cannot be dated in the future."))
        return decided_on


class AppealLodgeForm(forms.Form):
    lodged_on = forms.DateField(label=_("Lodged on"), widget=DATE_INPUT)
    body = forms.CharField(label=_("Appeal body"), max_length=200,
                           help_text=_("The court or authority that hears the appeal."))
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea, max_length=10000)
    representative = forms.CharField(label=_("Representative"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"lodged_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AppealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=BLANK + [(value, label) for value, label in AppealOutcome.choices
                         if value != AppealOutcome.PENDING],
    )
    outcome_on = forms.DateField(label=_("Outcome on"), widget=DATE_INPUT)
    new_status = forms.ChoiceField(
        label=_("New status"), required=False,
        choices=BLANK + [(value, label) for value, label in VictimStatus.choices
                         if value != VictimStatus.NOT_A_VICTIM],
        help_text=_("Only when the decision is overturned: the decision that replaces it."),
    )
    reasons = forms.CharField(label=_("Reasons for the new decision"), required=False,
                              widget=forms.Textarea, max_length=10000)
    legal_basis = forms.CharField(label=_("Legal basis of the new decision"), required=False,
                                  max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"outcome_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == AppealOutcome.OVERTURNED:
            for name in ("new_status", "reasons", "legal_basis"):
                if not cleaned.get(name):
                    self.add_error(name, _("An overturned decision needs its new decision."))
        return cleaned
