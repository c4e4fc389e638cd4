"""The forms of the linkage screens: filtering candidate pairs, starting a duplicate search,
deciding on a pair."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.directory.models import Organisation
from nrm.linkage.models import Verdict

ANY = ""


class PairFilterForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Decision"), required=False,
        choices=[(Verdict.PENDING.value, Verdict.PENDING.label),
                 (Verdict.SAME.value, Verdict.SAME.label),
                 (Verdict.DIFFERENT.value, Verdict.DIFFERENT.label), (ANY, _("Any"))])
    min_probability = forms.IntegerField(
        label=_("Match probability at least (%)"), required=False, min_value=0, max_value=100)
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organisation.objects.none(),
                                          empty_label=_("Any organisation"))
    across = forms.BooleanField(label=_("Only between two organisations"), required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            # A supervisor reviews one organisation's persons: nothing to choose between.
            del self.fields["organisation"]
            del self.fields["across"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The filters understood, as pairs_for_viewer takes them; pending pairs by default."""
        data = self.cleaned_data if self.is_valid() else {}
        verdict = data.get("verdict", Verdict.PENDING) if self.is_bound else Verdict.PENDING
        lowest = data.get("min_probability")
        organisation = data.get("organisation")
        return {
            "verdict": verdict or None,
            "min_probability": lowest / 100 if lowest is not None else None,
            "organisation_id": organisation.pk if organisation is not None else None,
            "across_organisations": bool(data.get("across")),
        }


class RunStartForm(forms.Form):
    incremental = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(Verdict.SAME.value, Verdict.SAME.label),
                 (Verdict.DIFFERENT.value, Verdict.DIFFERENT.label)])
